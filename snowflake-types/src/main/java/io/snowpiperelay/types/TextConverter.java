package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * VARCHAR(n) (§1.1): strings as they are; objects and arrays as minified JSON text; numbers as their text
 * (a fraction as {@code BigDecimal.stripTrailingZeros().toPlainString()}, the classic SDK's rule, since HP's
 * formatting is not documented); booleans as {@code true}/{@code false}. Longer than n characters (code
 * points) → rejected, never truncated (COPY's ENFORCE_LENGTH default).
 */
final class TextConverter extends ValueConverter {

    TextConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        String s = switch (t) {
            case VALUE_NULL -> null;
            case VALUE_STRING, VALUE_NUMBER_INT -> p.getText();
            case VALUE_NUMBER_FLOAT -> plain(p);
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> RawJson.of(p, t, buf, base);
        };
        if (s != null) {
            checkLength(s);
        }
        return s;
    }

    @Override
    Object fastString(String s) throws RowRejected {
        checkLength(s);
        return s;
    }

    @Override
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        String s = new String(text, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        checkLength(s);
        return s;
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        java.math.BigDecimal d = new java.math.BigDecimal(text).stripTrailingZeros();
        String s = Math.abs(d.scale()) > 1000 ? text : d.toPlainString();  // as plain(p)
        checkLength(s);
        return s;
    }

    @Override
    Object fastBoolean(boolean v) throws RowRejected {
        String s = v ? "true" : "false";
        checkLength(s);
        return s;
    }

    @Override
    Object fastNull() {
        return null;
    }

    @Override
    Object fastContainer(String json, boolean object) throws RowRejected {
        checkLength(json);  // an object or array lands as its minified JSON text
        return json;
    }

    /** A fraction as plain text; a huge exponent keeps the text as written rather than a million zeros. */
    private static String plain(JsonParser p) throws IOException {
        java.math.BigDecimal d = p.getDecimalValue().stripTrailingZeros();
        return Math.abs(d.scale()) > 1000 ? p.getText() : d.toPlainString();
    }

    @Override
    Object checkAsciiString(byte[] b, int from, int to) throws RowRejected {
        // printable ASCII without escapes: one byte is one character
        checkLength(to - from);
        return CHECKED;
    }

    @Override
    Object checkContainer(byte[] b, int from, long scanned, boolean object) throws RowRejected {
        if ((scanned & 1) != 0) {
            return super.checkContainer(b, from, scanned, object);  // whitespace: the minified length is needed
        }
        checkLength((int) (scanned >>> 1) - from);  // a plain ASCII copy: its length is its byte count
        return CHECKED;
    }

    private void checkLength(int asciiChars) throws RowRejected {
        if (asciiChars > type.length()) {
            throw new RowRejected(RejectionRule.TOO_LONG, "String '" + REDACTED + "' is too long and would be truncated ("
                    + asciiChars + " characters, maximum " + type.length() + ")");
        }
    }

    void checkLength(String s) throws RowRejected {
        // UTF-16 units ≥ code points, so the exact count is needed only near the limit.
        if (s.length() > type.length()) {
            int chars = s.codePointCount(0, s.length());
            if (chars > type.length()) {
                throw new RowRejected(RejectionRule.TOO_LONG, "String '" + REDACTED + "' is too long and would be truncated ("
                        + chars + " characters, maximum " + type.length() + ")");
            }
        }
    }
}
