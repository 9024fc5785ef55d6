package io.snowpiperelay.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Lenient percent-decoding and the query-string rules of protocol §11. */
final class Paths {

    private Paths() {
    }

    /** Decodes {@code %XX} (UTF-8); a malformed escape is kept as is; {@code +} stays {@code +}. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte c = raw[i];
            if (c == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * The raw value of {@code offsetToken} in a rows query: everything between {@code offsetToken=} and the
     * last {@code &continuationToken=} (offset tokens may contain raw {@code &} and {@code =}); null if absent.
     */
    static String offsetToken(String query) {
        if (query == null || !query.startsWith("offsetToken=")) {
            int at = query == null ? -1 : query.indexOf("offsetToken=");
            if (at < 0) {
                return null;
            }
            query = query.substring(at);
        }
        int end = query.lastIndexOf("&continuationToken=");
        if (end < 0) {
            end = query.lastIndexOf("&requestId=");
        }
        return query.substring("offsetToken=".length(), end < 0 ? query.length() : end);
    }

    /** The raw value of {@code continuationToken}: up to the last {@code &requestId=}; null if absent. */
    static String continuationToken(String query) {
        if (query == null) {
            return null;
        }
        int start = query.lastIndexOf("continuationToken=");
        if (start < 0) {
            return null;
        }
        start += "continuationToken=".length();
        int end = query.lastIndexOf("&requestId=");
        return query.substring(start, end < start ? query.length() : end);
    }
}
