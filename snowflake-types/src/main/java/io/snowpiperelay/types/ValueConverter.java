package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Casts one JSON value, read from a {@link JsonParser}, to one column type, the way Snowflake casts a
 * VARIANT member to a column type (§0 and §6 of {@code snowflake-streaming-types.md}). Stateless and
 * thread-safe; one instance per column.
 */
abstract class ValueConverter {

    /** Placeholder for a value in messages: the HP status message is redacted (HP-ERR). */
    static final String REDACTED = "***";

    final ColumnType type;

    ValueConverter(ColumnType type) {
        this.type = type;
    }

    /** The converter for {@code type}. */
    static ValueConverter forType(ColumnType type) {
        return switch (type.kind()) {
            case VARCHAR -> new TextConverter(type);
            case NUMBER -> new NumberConverter(type);
            case FLOAT -> new FloatConverter(type);
            case BOOLEAN -> new BooleanConverter(type);
            case DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ -> new TemporalConverter(type);
            case VARIANT, OBJECT, ARRAY -> new SemiStructuredConverter(type);
            case BINARY -> new BinaryConverter(type);
        };
    }

    /**
     * Converts the value whose first token {@code t} is current and leaves the parser on its last token.
     *
     * @param buf  the bytes the parser reads (for copying containers verbatim), or null
     * @param base offset in {@code buf} where the parser's input starts
     * @return the JDBC value, or null for SQL NULL
     * @throws RowRejected when Snowflake would reject the value; the message has no column and no value
     */
    abstract Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected;

    /**
     * Returned by the {@code fast*} methods when this converter has no fast path for the value: the row then
     * takes the general (Jackson) path.
     */
    static final Object FALLBACK = new Object();

    /*
     * Fast paths for {@link RowMapper}'s flat-row scanner. Each one must return exactly what {@link #convert}
     * returns (or throw the same rejection) for the same JSON value, or {@link #FALLBACK}. The scanner only
     * hands over ASCII strings without escapes, integers of at most 18 digits, decimals without exponent and
     * plain nested containers.
     */

    /** A JSON string whose {@code getText()} is {@code s}. */
    Object fastString(String s) throws RowRejected {
        return FALLBACK;
    }

    /**
     * A JSON string of printable ASCII without escapes, given as its bytes {@code b[from, to)}; converters that can
     * read the bytes directly override this to skip making the String.
     */
    Object fastAsciiString(byte[] b, int from, int to) throws RowRejected {
        return fastString(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** A JSON integer {@code v} (at most 18 digits) written as the ASCII bytes {@code text[from, to)}. */
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        return FALLBACK;
    }

    /** A JSON number with a fraction and no exponent ({@code -?digits.digits}), as written. */
    Object fastDecimal(String text) throws RowRejected {
        return FALLBACK;
    }

    /** JSON {@code true} or {@code false}. */
    Object fastBoolean(boolean v) throws RowRejected {
        return FALLBACK;
    }

    /** JSON {@code null}. */
    Object fastNull() {
        return FALLBACK;
    }

    /**
     * A JSON object ({@code object}) or array whose minified text ({@link RawJson#of}) is {@code json}, checked
     * by {@link PlainContainer}.
     */
    Object fastContainer(String json, boolean object) throws RowRejected {
        return FALLBACK;
    }

    /**
     * What a check-only mapper ({@link RowMapper#forCheck}) stores for a value it has checked but not built: only
     * whether the row would be accepted matters there, so converters skip making values where the rule does not
     * need them. Never null (a NOT NULL column with it has a value) and never {@link #FALLBACK}.
     */
    static final Object CHECKED = new Object();

    /**
     * {@link #fastAsciiString} for a check-only mapper: must accept and reject exactly as it does (same message),
     * and may return {@link #CHECKED} instead of the value.
     */
    Object checkAsciiString(byte[] b, int from, int to) throws RowRejected {
        return fastAsciiString(b, from, to);
    }

    /**
     * {@link #fastContainer} for a check-only mapper, given the container's bytes {@code b[from, ...)} and
     * {@link PlainContainer#scan}'s answer: must accept and reject exactly as it does, and may return
     * {@link #CHECKED} without making the container's text.
     */
    Object checkContainer(byte[] b, int from, long scanned, boolean object) throws RowRejected {
        return fastContainer(PlainContainer.text(b, from, scanned), object);
    }

    /** Snowflake's internal name for the type in "Failed to cast variant value" messages. */
    String castName() {
        return switch (type.kind()) {
            case NUMBER -> "FIXED";
            case FLOAT -> "REAL";
            case VARCHAR -> "TEXT";
            default -> type.kind().name();
        };
    }

    /** The text Snowflake uses when a VARIANT of the wrong kind meets a column (e.g. a number into BOOLEAN). */
    RowRejected cannotCast() {
        return new RowRejected(RejectionRule.WRONG_TYPE, "Failed to cast variant value " + REDACTED + " to " + castName());
    }

    /** Skips a container the converter does not accept, so the parser stays usable, and rejects it. */
    RowRejected cannotCast(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
        return cannotCast();
    }
}
