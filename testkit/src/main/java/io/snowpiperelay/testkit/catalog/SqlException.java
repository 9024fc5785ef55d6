package io.snowpiperelay.testkit.catalog;

/**
 * A setup script could not be applied: a syntax error in a statement the emulator supports, or a
 * statement that Snowflake itself would refuse (a pipe on a missing table, an unknown column type, a
 * name that cannot be resolved). The message names the line and the start of the statement so the
 * script's author can find it; it never contains string literals (they may hold keys or passwords).
 *
 * <p>Statements before the failing one stay applied, as they do when a Snowflake worksheet stops at
 * its first error.
 */
public class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line    1-based line of the script where the problem was found, or 0 when unknown
     * @param message what is wrong, with the statement it is in
     */
    public SqlException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line of the script where the problem was found, or 0 when unknown. */
    public int line() {
        return line;
    }
}
