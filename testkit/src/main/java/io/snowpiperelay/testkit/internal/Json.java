package io.snowpiperelay.testkit.internal;

/** Tiny JSON writing helpers for the hot responses (no allocation beyond the builder). */
final class Json {

    private Json() {
    }

    /** Appends a JSON string literal, or {@code null}. */
    static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    static String error(String errorCode, String message) {
        StringBuilder sb = new StringBuilder(96).append("{\"error_code\":");
        string(sb, errorCode);
        sb.append(",\"code\":");
        string(sb, errorCode);
        sb.append(",\"message\":");
        string(sb, message);
        return sb.append(",\"success\":false}").toString();
    }
}
