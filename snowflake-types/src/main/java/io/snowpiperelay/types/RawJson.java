package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON text of the value under a parser, minified, as Snowflake stores a VARIANT (and as a JSON
 * object or array lands in a VARCHAR, KC-E2E in §1.1). For containers read from a byte buffer it copies
 * the original bytes without insignificant whitespace, so numbers keep their exact text and nothing is
 * re-encoded; otherwise (a tree-backed parser, used for nested projection paths) it serialises the tree.
 */
final class RawJson {
    private RawJson() {
    }

    /**
     * Returns the minified JSON text of the value whose first token {@code t} is current, and leaves the
     * parser on the value's last token.
     *
     * @param buf  the bytes the parser reads, or null for a parser that does not read bytes
     * @param base the offset in {@code buf} where the parser's input starts
     */
    static String of(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return quote(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
            case START_ARRAY:
                if (buf == null) {
                    return p.readValueAsTree().toString();
                }
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                long end = p.currentLocation().getByteOffset();
                return minify(buf, base + (int) start, base + (int) end);
            default:
                throw new IllegalStateException("not a value token: " + t);
        }
    }

    /** A JSON string literal for {@code s}. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        return out.append('"').toString();
    }

    /** Copies {@code buf[from, to)} without whitespace outside string literals. */
    static String minify(byte[] buf, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (inString) {
                out[n++] = b;
                if (b == '\\' && i + 1 < to) {
                    out[n++] = buf[++i];
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
                out[n++] = b;
            } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
