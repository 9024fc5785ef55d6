package io.snowpiperelay.sqlite.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Stream names and the SQLite tables behind them. A stream {@code LIFT_RIDE} lives in table
 * {@code outbox_LIFT_RIDE}: the prefix keeps stream tables apart from {@code dead_letter}, from SQLite's own
 * {@code sqlite_*} tables and from any table the application keeps in the same file.
 *
 * <p>SQLite compares table names case-insensitively, so {@code lift_ride} and {@code LIFT_RIDE} are one
 * stream; {@link #key(String)} is the form used wherever two spellings must meet (caches, lock registry).
 */
public final class StreamNames {

    /** The allowed stream names: a letter, then up to 63 letters, digits or underscores. */
    public static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    /** The prefix of every stream table. */
    public static final String TABLE_PREFIX = "outbox_";

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
            throw new IllegalArgumentException("stream name '" + printable(stream) + "' is invalid; allowed: "
                    + VALID.pattern() + " (a letter, then up to 63 letters, digits or underscores), e.g. LIFT_RIDE");
        }
        return stream;
    }

    /** The case-insensitive identity of a valid stream name. */
    public static String key(String stream) {
        return stream.toLowerCase(Locale.ROOT);
    }

    /** The table of a valid stream, quoted for SQL. Safe to splice: the name matched {@link #VALID}. */
    public static String quotedTable(String stream) {
        return '"' + TABLE_PREFIX + stream + '"';
    }

    /** The table of a valid stream, unquoted (as stored in {@code sqlite_master} and {@code sqlite_sequence}). */
    public static String table(String stream) {
        return TABLE_PREFIX + stream;
    }

    private static String printable(String stream) {
        // Keep error messages one line and bounded even for hostile input.
        String shown = stream.length() > 80 ? stream.substring(0, 80) + "..." : stream;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
