package io.snowpiperelay;

/**
 * The source returned an offset that is not &gt; 0 or not strictly above the previous one (invariant 4). Fatal,
 * detected before any row of the offending batch is sent.
 */
public final class OffsetOrderException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long previousOffset;
    private final long offset;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public OffsetOrderException(String channel, long previousOffset, long offset, String source) {
        super("channel " + channel + ": " + source + " returned offset " + offset + " after offset " + previousOffset
                + "; offsets must be > 0 and strictly increasing. Fix the source (offsets must never be reused).");
        this.channel = channel;
        this.previousOffset = previousOffset;
        this.offset = offset;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The offset before the offending one (the resume point for the first record of a read). */
    public long previousOffset() {
        return previousOffset;
    }

    /** The offending offset. */
    public long offset() {
        return offset;
    }
}
