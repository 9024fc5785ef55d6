package io.snowpiperelay;

/**
 * Root of every exception the relay throws. Unchecked: a relay failure is either recovered inside the
 * runner (and then never seen by the caller) or fatal for the runner that raised it.
 *
 * <p>Subclasses carry the facts (channel name, offsets, tokens) as fields; messages say what happened,
 * with the values, and what to do about it. Messages never contain secrets or row contents. The set, and what a
 * caller does about each, is the table "Exceptions" in {@code docs/using-the-library.md}.
 */
public class RelayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that says what happened, with the values, and what to do. */
    public RelayException(String message) {
        super(message);
    }

    /** An error with a message and the failure that caused it. */
    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
