package io.snowpiperelay;

/**
 * A recoverable failure (source I/O, channel reopen, SDK backpressure) kept happening past its bound. The cause
 * is the last failure. Nothing unconfirmed was deleted.
 */
public final class RetriesExhaustedException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final String operation;
    private final int attempts;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public RetriesExhaustedException(String channel, String operation, int attempts, String advice, Throwable cause) {
        super("channel " + channel + ": " + operation + " failed " + attempts + " time(s) in a row, giving up: "
                + (cause == null ? "" : cause.getMessage()) + ". " + advice, cause);
        this.channel = channel;
        this.operation = operation;
        this.attempts = attempts;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** What kept failing ("source read", "channel open", ...). */
    public String operation() {
        return operation;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }
}
