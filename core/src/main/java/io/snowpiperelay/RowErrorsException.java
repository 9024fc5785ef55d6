package io.snowpiperelay;

/**
 * The service rejected rows of this channel (type mismatch, value too long) and the runner's
 * {@link RowErrorPolicy} is {@link RowErrorPolicy#STOP}. The service's own message is kept in
 * {@link #lastErrorMessage()} and not in this exception's message, because it may quote row values.
 */
public final class RowErrorsException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long newErrorCount;
    private final String lastErrorOffsetUpperBound;
    private final transient String lastErrorMessage;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public RowErrorsException(String channel, long newErrorCount, String lastErrorOffsetUpperBound,
                              String lastErrorMessage) {
        super("channel " + channel + ": the service rejected " + newErrorCount + " row(s), the last at or below"
                + " offset " + lastErrorOffsetUpperBound + "; stopping because rowErrorPolicy is STOP. Fix the rows"
                + " or the table's column types; see lastErrorMessage() or the channel status in Snowflake.");
        this.channel = channel;
        this.newErrorCount = newErrorCount;
        this.lastErrorOffsetUpperBound = lastErrorOffsetUpperBound;
        this.lastErrorMessage = lastErrorMessage;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** Rows rejected since the runner last looked. */
    public long newErrorCount() {
        return newErrorCount;
    }

    /** The offset token upper bound of the last rejected row, as the service reported it. */
    public String lastErrorOffsetUpperBound() {
        return lastErrorOffsetUpperBound;
    }

    /** The service's message for the last rejected row; may quote row values. */
    public String lastErrorMessage() {
        return lastErrorMessage;
    }
}
