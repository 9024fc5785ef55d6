package io.snowpiperelay;

/**
 * A record cannot be sent (not JSON, not an object, too large) and there is nowhere to put it: no
 * {@link io.snowpiperelay.spi.DeadLetterHandler} was configured and the source is not one. The runner stops
 * rather than drop the record; nothing from it onwards is deleted.
 */
public final class UndeliverableRecordException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long offset;
    private final String reason;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public UndeliverableRecordException(String channel, long offset, String reason) {
        super("channel " + channel + ": record at offset " + offset + " cannot be sent (" + reason + ") and no"
                + " DeadLetterHandler is configured. Set one with builder.deadLetterHandler(...) or fix the record.");
        this.channel = channel;
        this.offset = offset;
        this.reason = reason;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The record's offset. */
    public long offset() {
        return offset;
    }

    /** Why it cannot be sent. */
    public String reason() {
        return reason;
    }
}
