package io.snowpiperelay.testkit.catalog;

import java.util.Locale;

/**
 * Snowflake identifier rules (COPY / identifier requirements): an unquoted identifier is stored
 * upper-case, a double-quoted one exactly as written with {@code ""} standing for {@code "}.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /**
     * Normalises a name given by a caller (a REST path segment, a test): {@code "Quoted"} → {@code Quoted},
     * anything else upper-cased.
     */
    public static String normalize(String name) {
        if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name.toUpperCase(Locale.ROOT);
    }

    /** True when {@code name} was given quoted, so only an exact match may be used. */
    static boolean isQuoted(String name) {
        return name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"';
    }

    /** The name as one would write it in SQL: bare when that round-trips, otherwise double-quoted. */
    public static String render(String name) {
        boolean bare = !name.isEmpty() && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_');
        for (int i = 0; bare && i < name.length(); i++) {
            char c = name.charAt(i);
            bare = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
        }
        return bare ? name : '"' + name.replace("\"", "\"\"") + '"';
    }
}
