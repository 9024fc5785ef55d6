package io.snowpiperelay.types;

import java.util.List;
import java.util.Objects;

/**
 * A Snowflake column type, normalised: every synonym maps to one {@link Kind} with its parameters
 * (DT-TEXT, DT-NUM, DT-DT in {@code snowflake-streaming-types.md}). Immutable. {@code INT} is {@code NUMBER(38,0)},
 * {@code DATETIME} and {@code TIMESTAMP} are {@code TIMESTAMP_NTZ}, {@code STRING} is {@code VARCHAR(16777216)}.
 *
 * @param kind      the type family
 * @param length    VARCHAR: maximum length in characters; BINARY: maximum length in bytes; else 0
 * @param precision NUMBER: total digits (1..38); TIME / TIMESTAMP_*: fractional-second digits (0..9); else 0
 * @param scale     NUMBER: digits after the point (0..37); else 0
 */
public record ColumnType(Kind kind, int length, int precision, int scale) {

    /** Type families the emulator converts JSON values into. */
    public enum Kind {
        VARCHAR, NUMBER, FLOAT, BOOLEAN, DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ,
        VARIANT, OBJECT, ARRAY, BINARY
    }

    /** VARCHAR without a length (DT-TEXT): 16,777,216 characters. */
    public static final int DEFAULT_VARCHAR_LENGTH = 16_777_216;
    /** Largest VARCHAR length Snowflake accepts (2025_03 bundle, DT-TEXT). */
    public static final int MAX_VARCHAR_LENGTH = 134_217_728;
    /** BINARY without a length (DT-TEXT): 8,388,608 bytes. */
    public static final int DEFAULT_BINARY_LENGTH = 8_388_608;
    /** Largest BINARY length (2025_03 bundle, DT-TEXT). */
    public static final int MAX_BINARY_LENGTH = 67_108_864;
    /** NUMBER without parameters (DT-NUM) is NUMBER(38,0). */
    public static final int DEFAULT_NUMBER_PRECISION = 38;
    /** TIME and TIMESTAMP default to nanoseconds (DT-DT). */
    public static final int DEFAULT_FRACTION_PRECISION = 9;

    public ColumnType {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case VARCHAR -> require(length >= 1 && length <= MAX_VARCHAR_LENGTH, "VARCHAR length", length, "1.." + MAX_VARCHAR_LENGTH);
            case BINARY -> require(length >= 1 && length <= MAX_BINARY_LENGTH, "BINARY length", length, "1.." + MAX_BINARY_LENGTH);
            case NUMBER -> {
                require(precision >= 1 && precision <= 38, "NUMBER precision", precision, "1..38");
                require(scale >= 0 && scale <= Math.min(37, precision), "NUMBER scale", scale, "0.." + Math.min(37, precision));
            }
            case TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ ->
                    require(precision >= 0 && precision <= 9, kind + " precision", precision, "0..9");
            default -> {
            }
        }
    }

    private static void require(boolean ok, String what, int value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(what + " " + value + " is out of range " + range);
        }
    }

    /** {@code VARCHAR(length)}, length in characters. */
    public static ColumnType varchar(int length) {
        return new ColumnType(Kind.VARCHAR, length, 0, 0);
    }

    /** {@code NUMBER(precision, scale)}. */
    public static ColumnType number(int precision, int scale) {
        return new ColumnType(Kind.NUMBER, 0, precision, scale);
    }

    /** A type without parameters: FLOAT, BOOLEAN, DATE, VARIANT, OBJECT, ARRAY. */
    public static ColumnType of(Kind kind) {
        return switch (kind) {
            case VARCHAR -> varchar(DEFAULT_VARCHAR_LENGTH);
            case BINARY -> binary(DEFAULT_BINARY_LENGTH);
            case NUMBER -> number(DEFAULT_NUMBER_PRECISION, 0);
            case TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ -> new ColumnType(kind, 0, DEFAULT_FRACTION_PRECISION, 0);
            default -> new ColumnType(kind, 0, 0, 0);
        };
    }

    /** TIME or TIMESTAMP_* with the given fractional-second precision. */
    public static ColumnType temporal(Kind kind, int precision) {
        return new ColumnType(kind, 0, precision, 0);
    }

    /** {@code BINARY(length)}, length in bytes. */
    public static ColumnType binary(int length) {
        return new ColumnType(Kind.BINARY, length, 0, 0);
    }

    /**
     * The type a Snowflake type name and its parameters stand for, synonyms normalised (DT-TEXT, DT-NUM, DT-LOG,
     * DT-DT, DT-SEMI): {@code of("DECIMAL", List.of(7, 2))} is {@code NUMBER(7,2)}, {@code of("INT", List.of())}
     * is {@code NUMBER(38,0)}, {@code TIMESTAMP} and {@code DATETIME} are {@code TIMESTAMP_NTZ} (the default
     * {@code TIMESTAMP_TYPE_MAPPING}). Multi-word spellings are given joined by one space
     * ({@code "DOUBLE PRECISION"}, {@code "TIMESTAMP WITH LOCAL TIME ZONE"}).
     *
     * @throws IllegalArgumentException naming the type when it is unknown, not modelled (GEOGRAPHY, VECTOR...),
     *                                  or its parameters are wrong
     */
    public static ColumnType of(String name, List<Integer> args) {
        return TypeNames.type(name, args);
    }

    /**
     * Parses a type as written in SQL or as {@code DESCRIBE TABLE} and {@code INFORMATION_SCHEMA} show it:
     * {@code NUMBER(7,2)}, {@code VARCHAR(255)}, {@code TIMESTAMP_NTZ(9)}, {@code int}, {@code DOUBLE PRECISION}.
     *
     * @throws IllegalArgumentException naming the text when it is not a type this library models
     */
    public static ColumnType parse(String sqlType) {
        return TypeNames.parse(sqlType);
    }

    /** The type as Snowflake's {@code DESCRIBE TABLE} shows it, e.g. {@code VARCHAR(255)}, {@code NUMBER(7,2)}. */
    public String sql() {
        return switch (kind) {
            case VARCHAR, BINARY -> kind + "(" + length + ")";
            case NUMBER -> "NUMBER(" + precision + "," + scale + ")";
            case TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ -> kind + "(" + precision + ")";
            default -> kind.name();
        };
    }

    @Override
    public String toString() {
        return sql();
    }
}
