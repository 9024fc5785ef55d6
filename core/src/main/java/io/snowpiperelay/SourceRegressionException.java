package io.snowpiperelay;

/**
 * The channel's committed offset is above the highest offset the source has ever issued (invariant 6): the
 * source was recreated or restored from an old backup, and resuming would silently skip its rows. The runner
 * refuses to start and deletes nothing.
 */
public final class SourceRegressionException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long committedOffset;
    private final long highestIssuedOffset;
    private final String source;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public SourceRegressionException(String channel, long committedOffset, long highestIssuedOffset, String source) {
        super("channel " + channel + ": committed token " + committedOffset + " is above the highest offset "
                + highestIssuedOffset + " ever issued by " + source + "; the source was recreated or restored."
                + " Restore the source, or use a new channel name (or drop the channel) to start over.");
        this.channel = channel;
        this.committedOffset = committedOffset;
        this.highestIssuedOffset = highestIssuedOffset;
        this.source = source;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The committed offset read from the channel. */
    public long committedOffset() {
        return committedOffset;
    }

    /** The highest offset the source says it ever issued. */
    public long highestIssuedOffset() {
        return highestIssuedOffset;
    }

    /** The source's description. */
    public String source() {
        return source;
    }
}
