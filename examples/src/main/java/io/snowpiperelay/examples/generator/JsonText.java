package io.snowpiperelay.examples.generator;

/**
 * A minimal JSON object writer for the generator's hot path: keys are fixed column names, values are
 * strings, numbers written by the caller, nested objects or {@code null}. It avoids building a map per event
 * only to serialise it at once. Not thread-safe; reuse one instance per thread via {@link #reset()}.
 */
final class JsonText {

    private final StringBuilder text = new StringBuilder(640);
    private boolean first;

    /** Starts a new top-level object, discarding what was written before. */
    JsonText reset() {
        text.setLength(0);
        text.append('{');
        first = true;
        return this;
    }

    JsonText string(String key, String value) {
        key(key);
        if (value == null) {
            text.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    /** A number already in JSON syntax, e.g. {@code "92.50"} or {@code "3"}. */
    JsonText number(String key, CharSequence jsonNumber) {
        key(key);
        text.append(jsonNumber);
        return this;
    }

    JsonText number(String key, long value) {
        key(key);
        text.append(value);
        return this;
    }

    /** A money amount given in cents, written with exactly two decimals: {@code 9250} becomes {@code 92.50}. */
    JsonText cents(String key, long cents) {
        key(key);
        text.append(cents / 100).append('.');
        long fraction = cents % 100;
        if (fraction < 10) {
            text.append('0');
        }
        text.append(fraction);
        return this;
    }

    JsonText nullValue(String key) {
        key(key);
        text.append("null");
        return this;
    }

    /** Opens a nested object under {@code key}; close it with {@link #endObject()}. */
    JsonText beginObject(String key) {
        key(key);
        text.append('{');
        first = true;
        return this;
    }

    JsonText endObject() {
        text.append('}');
        first = false;
        return this;
    }

    /** Closes the top-level object and returns the text. */
    String finish() {
        text.append('}');
        return text.toString();
    }

    private void key(String key) {
        if (!first) {
            text.append(',');
        }
        first = false;
        text.append('"').append(key).append("\":");
    }

    private void quote(String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
