package io.snowpiperelay.postgres.internal;

import java.util.regex.Pattern;

/**
 * Stream names. The rule is the SQLite outbox's, so a stream name that works for one works for the other and as part
 * of a channel name; in PostgreSQL the name is a column value, compared exactly (case-sensitive).
 */
public final class StreamNames {

    /** The allowed stream names: a letter, then up to 63 letters, digits or underscores. */
    public static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private StreamNames() {
    }

    /**
     * Returns {@code stream} if it is a valid name.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static String validate(String stream) {
        if (stream == null) {
            throw new IllegalArgumentException("stream name must not be null; allowed: " + VALID.pattern()
                    + " (a letter, then up to 63 letters, digits or underscores)");
        }
        if (!VALID.matcher(stream).matches()) {
            String shown = stream.length() > 80 ? stream.substring(0, 80) + "..." : stream;
            throw new IllegalArgumentException("stream name '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is invalid; allowed: " + VALID.pattern()
                    + " (a letter, then up to 63 letters, digits or underscores), e.g. LIFT_RIDE");
        }
        return stream;
    }
}
