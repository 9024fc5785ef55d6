package io.snowpiperelay;

/**
 * The channel's committed token went backwards while the runner was running: the channel was dropped or reset
 * by someone else. The runner stops and deletes nothing further from the source.
 */
public final class CommittedTokenRegressedException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final long previousCommittedOffset;
    private final long committedOffset;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public CommittedTokenRegressedException(String channel, long previousCommittedOffset, long committedOffset) {
        super("channel " + channel + ": committed token went back from " + previousCommittedOffset + " to "
                + committedOffset + "; the channel was dropped or reset while this runner used it. Nothing"
                + " further was deleted from the source. Find out who reset the channel before restarting.");
        this.channel = channel;
        this.previousCommittedOffset = previousCommittedOffset;
        this.committedOffset = committedOffset;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The committed offset seen before. */
    public long previousCommittedOffset() {
        return previousCommittedOffset;
    }

    /** The lower committed offset seen now. */
    public long committedOffset() {
        return committedOffset;
    }
}
