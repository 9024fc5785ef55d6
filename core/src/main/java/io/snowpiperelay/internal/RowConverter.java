package io.snowpiperelay.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.snowpiperelay.spi.SourceRecord;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a {@link SourceRecord} into the row map the SDK takes, or says why it cannot.
 *
 * <ul>
 *   <li>JSON text is parsed with one reused {@link ObjectReader}: decimals become {@link BigDecimal} (no
 *       precision lost on the way to NUMBER(p,s)), integers stay {@code Integer}/{@code Long}/{@code BigInteger}
 *       as large as they are, nested objects and arrays stay {@code Map}/{@code List} for VARIANT, OBJECT
 *       and ARRAY columns.</li>
 *   <li>A payload that does not parse, is not a JSON object, has trailing content, or is larger than the
 *       per-row byte cap is refused with a reason (the runner dead-letters it).</li>
 * </ul>
 *
 * <p>A reason names the kind of problem and where it is (line, column), never any of the payload's text: sources
 * log reasons at WARN and store them next to the payload, and a row's contents must not reach logs above DEBUG
 * (a bad token is often the very value that should not leak, e.g. a card number without quotes).
 *
 * <p>Thread-safe (the reader is immutable); allocation per row is what Jackson needs for the map.
 */
public final class RowConverter {
    private static final ObjectReader READER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(new TypeReference<Map<String, Object>>() { });

    private final int maxRowBytes;

    /** @param maxRowBytes the largest payload accepted, in UTF-8 bytes */
    public RowConverter(int maxRowBytes) {
        this.maxRowBytes = maxRowBytes;
    }

    /** The outcome of one conversion; reused across rows by the caller to avoid an allocation per row. */
    public static final class Result {
        /** The row, when the conversion succeeded; otherwise {@code null}. */
        public Map<String, Object> row;
        /** The payload's size in bytes (UTF-8 JSON length, or an estimate for row records). */
        public int bytes;
        /** Why the record was refused, when {@link #row} is {@code null}. */
        public String failure;
    }

    /**
     * Converts {@code record} into {@code out}.
     *
     * @return true when {@code out.row} is set; false when {@code out.failure} says why not
     */
    public boolean convert(SourceRecord record, Result out) {
        out.row = null;
        out.failure = null;
        if (record.isJson()) {
            String json = record.json();
            int bytes = utf8Length(json);
            out.bytes = bytes;
            if (bytes > maxRowBytes) {
                out.failure = "payload is " + bytes + " bytes, above maxRowBytes " + maxRowBytes;
                return false;
            }
            try {
                Map<String, Object> row = READER.readValue(json);
                if (row == null) {
                    out.failure = "payload is not a JSON object (found NULL)";
                    return false;
                }
                out.row = row;
                return true;
            } catch (JsonProcessingException e) {
                out.failure = describe(e, json);
                return false;
            }
        }
        Map<String, Object> row = record.row();
        int bytes = estimateBytes(row);
        out.bytes = bytes;
        if (bytes > maxRowBytes) {
            out.failure = "row is about " + bytes + " bytes, above maxRowBytes " + maxRowBytes;
            return false;
        }
        out.row = row;
        return true;
    }

    /**
     * Why Jackson refused a payload, from the exception's type, the token type and the location only. Jackson's
     * messages quote the offending text ({@code Unrecognized token 'confidential4711'}), so none is used.
     */
    static String describe(JsonProcessingException e, String json) {
        String at = location(e.getLocation());
        if (e instanceof MismatchedInputException m) {
            String original = m.getOriginalMessage();
            if (original != null && original.startsWith("Trailing token")) {
                return "payload has content after the JSON object" + at;
            }
            if (json.isBlank()) {
                return "payload is empty";
            }
            // A well-formed value of another kind: its first character says which (the parser may have moved on).
            return "payload is not a JSON object (found " + valueKind(json) + ")";
        }
        if (e instanceof JsonEOFException) {
            return "payload is not valid JSON: unexpected end of input" + at;
        }
        if (e instanceof StreamConstraintsException) {
            return "payload is over a JSON parser limit (number or string length, or nesting depth)" + at;
        }
        return "payload is not valid JSON: unexpected token" + at;
    }

    private static String location(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The kind of the JSON value {@code json} holds, named like Jackson's {@code JsonNodeType}; never the value. */
    private static String valueKind(String json) {
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            return switch (c) {
                case '[' -> "ARRAY";
                case '{' -> "OBJECT";
                case '"' -> "STRING";
                case 't', 'f' -> "BOOLEAN";
                case 'n' -> "NULL";
                default -> c == '-' || (c >= '0' && c <= '9') ? "NUMBER" : "UNKNOWN";
            };
        }
        return "NOTHING";
    }

    /** UTF-8 length of {@code s} without encoding it. */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair, counted as 2 chars already
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * A cheap estimate of a row's JSON size, for rows that come as maps. Used for the byte caps only; it need
     * not be exact, only of the right magnitude.
     */
    public static int estimateBytes(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof CharSequence cs) {
            return cs.length() + 2;
        }
        if (value instanceof Map<?, ?> m) {
            long sum = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sum += String.valueOf(e.getKey()).length() + 4 + estimateBytes(e.getValue());
            }
            return (int) Math.min(Integer.MAX_VALUE, sum);
        }
        if (value instanceof Collection<?> c) {
            long sum = 2;
            for (Object o : c) {
                sum += 1 + estimateBytes(o);
            }
            return (int) Math.min(Integer.MAX_VALUE, sum);
        }
        if (value instanceof byte[] b) {
            return b.length * 4 / 3 + 4;
        }
        return 24;
    }
}
