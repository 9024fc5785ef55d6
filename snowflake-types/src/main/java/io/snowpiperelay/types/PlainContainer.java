package io.snowpiperelay.types;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level validation of a nested JSON object or array for {@link RowMapper}'s flat-row fast path, so that
 * rows with VARIANT, OBJECT or ARRAY values (tickets' addresses, say) need not take the Jackson path.
 *
 * <p>It answers only for containers it is sure Jackson accepts and whose minified text is a plain copy of the
 * bytes without insignificant whitespace (exactly what {@link RawJson#of} returns for them): keys and strings
 * of printable ASCII without escapes, numbers in strict RFC 8259 form of at most {@link #MAX_NUMBER} characters,
 * {@code true}, {@code false}, {@code null}, nesting up to {@link #MAX_DEPTH} (Jackson's limits are far above
 * these). Anything else (escapes, non-ASCII text, invalid JSON, trailing commas, leading zeros) makes it give
 * up, and the row's general path decides, with Jackson's answer and message.
 *
 * <p>Stateless; the methods are static and thread-safe.
 */
final class PlainContainer {

    /** Containers nested deeper (counting this one) are left to Jackson, whose own limit is 1000. */
    static final int MAX_DEPTH = 64;
    /** Longer number tokens are left to Jackson, whose own limit is 1000 digits. */
    static final int MAX_NUMBER = 64;
    /** Longer keys are left to Jackson, whose own limit is 50,000 bytes. */
    static final int MAX_KEY = 1024;

    private PlainContainer() {
    }

    /**
     * Scans the container that starts at {@code b[pos]} (a '{' or '[').
     *
     * @return {@code -1} when the fast path must give up; otherwise {@code (end << 1) | ws}, where {@code end}
     *         is the position just after the closing bracket and {@code ws} is 1 when the container has
     *         whitespace between its tokens (so its text must be minified rather than copied)
     */
    static long scan(byte[] b, int pos, int end) {
        long objects = 0;  // bit i: the container at depth i+1 is an object
        int depth = 0;
        boolean ws = false;
        byte c = b[pos];
        while (true) {
            // here b[pos] is a value's first byte
            if (c == '{' || c == '[') {
                if (depth == MAX_DEPTH) {
                    return -1;
                }
                boolean object = c == '{';
                objects = (objects << 1) | (object ? 1 : 0);
                depth++;
                long v = nextValue(b, pos + 1, end, object, true);
                if (v < 0) {
                    return -1;
                }
                ws |= (v & 1) != 0;
                pos = (int) (v >>> 1);
                c = b[pos];
                if (c == (object ? '}' : ']')) {
                    pos++;
                    depth--;
                    objects >>>= 1;
                    if (depth == 0) {
                        return ((long) pos << 1) | (ws ? 1 : 0);
                    }
                    // fall through to the separator after this (empty) value
                } else {
                    continue;  // a value starts at pos
                }
            } else {
                pos = scalarEnd(b, pos, end, c);
                if (pos < 0) {
                    return -1;
                }
            }
            // after a value: a separator or the end of one or more containers
            while (true) {
                int next = skipWs(b, pos, end);
                ws |= next != pos;
                pos = next;
                if (pos >= end) {
                    return -1;
                }
                c = b[pos];
                boolean object = (objects & 1) != 0;
                if (c == ',') {
                    long v = nextValue(b, pos + 1, end, object, false);
                    if (v < 0) {
                        return -1;
                    }
                    ws |= (v & 1) != 0;
                    pos = (int) (v >>> 1);
                    c = b[pos];
                    break;  // a value starts at pos
                }
                if (c != (object ? '}' : ']')) {
                    return -1;
                }
                pos++;
                depth--;
                objects >>>= 1;
                if (depth == 0) {
                    return ((long) pos << 1) | (ws ? 1 : 0);
                }
            }
        }
    }

    /**
     * The minified text of a container {@link #scan} accepted: a plain copy when it had no whitespace (its bytes
     * are ASCII), else {@link RawJson#minify}.
     */
    static String text(byte[] b, int from, long scanned) {
        int to = (int) (scanned >>> 1);
        return (scanned & 1) == 0
                ? new String(b, from, to - from, StandardCharsets.ISO_8859_1)
                : RawJson.minify(b, from, to);
    }

    /**
     * From just after a '{', '[' or ',': skips whitespace and, in an object, the member's key and colon, to where
     * the next value starts (or, with {@code closeAllowed}, to the container's closing bracket when it is empty).
     *
     * @return {@code (that position << 1) | ws}, ws being 1 when whitespace was skipped; -1 at the end of input or
     *         for a malformed member
     */
    private static long nextValue(byte[] b, int pos, int end, boolean object, boolean closeAllowed) {
        int next = skipWs(b, pos, end);
        if (next >= end) {
            return -1;
        }
        boolean ws = next != pos;
        if (!object || (closeAllowed && b[next] == '}')) {
            return ((long) next << 1) | (ws ? 1 : 0);
        }
        long m = member(b, next, end);
        // a '}' where the member's value should start is invalid, and must not read as the end of an empty object
        return m < 0 || b[(int) (m >>> 1)] == '}' ? -1 : m | (ws ? 1 : 0);
    }

    /**
     * A member's key and colon from {@code b[pos]}: {@code (position of its value << 1) | ws}, where ws is 1
     * when there was whitespace around the colon, or -1.
     */
    private static long member(byte[] b, int pos, int end) {
        if (b[pos] != '"') {
            return -1;
        }
        int close = RowMapper.plainStringEnd(b, pos + 1, end);
        if (close < 0 || close - pos - 1 > MAX_KEY) {
            return -1;
        }
        int colon = skipWs(b, close + 1, end);
        if (colon >= end || b[colon] != ':') {
            return -1;
        }
        int value = skipWs(b, colon + 1, end);
        if (value >= end) {
            return -1;
        }
        boolean ws = colon != close + 1 || value != colon + 1;
        return ((long) value << 1) | (ws ? 1 : 0);
    }

    /** The position after the string, number or literal starting with {@code c} at {@code pos}, or -1. */
    private static int scalarEnd(byte[] b, int pos, int end, byte c) {
        if (c == '"') {
            int close = RowMapper.plainStringEnd(b, pos + 1, end);
            return close < 0 ? -1 : close + 1;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return numberEnd(b, pos, end);
        }
        if (c == 't') {
            return word(b, pos, end, "true");
        }
        if (c == 'f') {
            return word(b, pos, end, "false");
        }
        if (c == 'n') {
            return word(b, pos, end, "null");
        }
        return -1;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; what follows is checked by the caller. */
    private static int numberEnd(byte[] b, int pos, int end) {
        int from = pos;
        if (b[pos] == '-') {
            pos++;
        }
        if (pos >= end) {
            return -1;
        }
        if (b[pos] == '0') {
            pos++;
        } else if (b[pos] >= '1' && b[pos] <= '9') {
            pos = digits(b, pos, end);
        } else {
            return -1;
        }
        if (pos < end && b[pos] == '.') {
            int f = pos + 1;
            pos = digits(b, f, end);
            if (pos == f) {
                return -1;
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int e = pos;
            pos = digits(b, e, end);
            if (pos == e) {
                return -1;
            }
        }
        return pos - from > MAX_NUMBER ? -1 : pos;
    }

    private static int digits(byte[] b, int pos, int end) {
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos;
    }

    /** {@code word} at {@code pos}; what follows is checked by the caller. */
    private static int word(byte[] b, int pos, int end, String word) {
        int n = word.length();
        if (end - pos < n) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return -1;
            }
        }
        return pos + n;
    }

    /** JSON whitespace: the only bytes Jackson skips between tokens. Also the row fast path's ({@link RowMapper}). */
    static int skipWs(byte[] b, int pos, int end) {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            pos++;
        }
        return pos;
    }
}
