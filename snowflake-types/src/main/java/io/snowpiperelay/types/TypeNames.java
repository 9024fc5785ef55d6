package io.snowpiperelay.types;

import static io.snowpiperelay.types.ColumnType.DEFAULT_BINARY_LENGTH;
import static io.snowpiperelay.types.ColumnType.DEFAULT_FRACTION_PRECISION;
import static io.snowpiperelay.types.ColumnType.DEFAULT_NUMBER_PRECISION;
import static io.snowpiperelay.types.ColumnType.DEFAULT_VARCHAR_LENGTH;
import static io.snowpiperelay.types.ColumnType.binary;
import static io.snowpiperelay.types.ColumnType.number;
import static io.snowpiperelay.types.ColumnType.temporal;
import static io.snowpiperelay.types.ColumnType.varchar;

import io.snowpiperelay.types.ColumnType.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Snowflake's type names and synonyms, for {@link ColumnType#of} and {@link ColumnType#parse}. Stateless. */
final class TypeNames {
    private TypeNames() {
    }

    static ColumnType type(String name, List<Integer> args) {
        String n = name.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (UNMODELLED_TYPES.contains(n)) {
            throw new IllegalArgumentException("column type " + n + " is a Snowflake type that is not modelled here");
        }
        return switch (n) {
            case "VARCHAR", "STRING", "TEXT", "NVARCHAR", "NVARCHAR2", "CHARACTER VARYING", "CHAR VARYING",
                 "NCHAR VARYING" -> varchar(arg(args, 0, DEFAULT_VARCHAR_LENGTH, n, 1));
            case "CHAR", "CHARACTER", "NCHAR" -> varchar(arg(args, 0, 1, n, 1));
            case "NUMBER", "DECIMAL", "DEC", "NUMERIC" ->
                    number(arg(args, 0, DEFAULT_NUMBER_PRECISION, n, 2), arg(args, 1, 0, n, 2));
            case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT" -> noArgs(args, n, number(38, 0));
            case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL" -> ColumnType.of(Kind.FLOAT);
            case "BOOLEAN" -> noArgs(args, n, ColumnType.of(Kind.BOOLEAN));
            case "DATE" -> noArgs(args, n, ColumnType.of(Kind.DATE));
            case "TIME" -> temporal(Kind.TIME, arg(args, 0, DEFAULT_FRACTION_PRECISION, n, 1));
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP WITHOUT TIME ZONE" ->
                    temporal(Kind.TIMESTAMP_NTZ, arg(args, 0, DEFAULT_FRACTION_PRECISION, n, 1));
            case "TIMESTAMP_LTZ", "TIMESTAMPLTZ", "TIMESTAMP WITH LOCAL TIME ZONE" ->
                    temporal(Kind.TIMESTAMP_LTZ, arg(args, 0, DEFAULT_FRACTION_PRECISION, n, 1));
            case "TIMESTAMP_TZ", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" ->
                    temporal(Kind.TIMESTAMP_TZ, arg(args, 0, DEFAULT_FRACTION_PRECISION, n, 1));
            case "VARIANT" -> noArgs(args, n, ColumnType.of(Kind.VARIANT));
            case "OBJECT" -> ColumnType.of(Kind.OBJECT);
            case "ARRAY" -> ColumnType.of(Kind.ARRAY);
            case "BINARY", "VARBINARY" -> binary(arg(args, 0, DEFAULT_BINARY_LENGTH, n, 1));
            default -> throw new IllegalArgumentException("unknown column type '" + name + "'");
        };
    }

    static ColumnType parse(String sqlType) {
        Objects.requireNonNull(sqlType, "sqlType");
        String text = sqlType.trim();
        int open = text.indexOf('(');
        List<Integer> args = new ArrayList<>();
        String name = text;
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new IllegalArgumentException("column type '" + sqlType + "' has an unclosed '('");
            }
            name = text.substring(0, open);
            String inner = text.substring(open + 1, text.length() - 1).trim();
            String upperName = name.trim().toUpperCase(Locale.ROOT);
            // Structured OBJECT(...)/ARRAY(...) are checked like their semi-structured forms.
            if (!upperName.equals("OBJECT") && !upperName.equals("ARRAY") && !inner.isEmpty()) {
                for (String a : inner.split(",")) {
                    try {
                        args.add(Integer.parseInt(a.trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("column type '" + sqlType + "': parameter '" + a.trim()
                                + "' is not an integer");
                    }
                }
            }
        }
        return type(name, args);
    }

    /** Real Snowflake types that are not modelled (their JSON shapes for streaming are not documented). */
    static final Set<String> UNMODELLED_TYPES = Set.of("GEOGRAPHY", "GEOMETRY", "VECTOR",
            "MAP", "FILE");

    private static int arg(List<Integer> args, int i, int dflt, String type, int max) {
        if (args.size() > max) {
            throw new IllegalArgumentException(type + " takes at most " + max + " parameter(s), got " + args.size());
        }
        return i < args.size() ? args.get(i) : dflt;
    }

    private static ColumnType noArgs(List<Integer> args, String type, ColumnType result) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException(type + " takes no parameters");
        }
        return result;
    }
}
