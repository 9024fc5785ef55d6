package io.snowpiperelay;

/**
 * Another writer opened this runner's channel (invariant 5: one writer per channel), so the service
 * invalidated ours. The runner stops at once instead of reopening and fighting back; what it had not yet
 * committed stays in the source.
 */
public final class ChannelFencedException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public ChannelFencedException(String channel, String evidence, Throwable cause) {
        super("another writer took channel " + channel + " (" + evidence + "); this runner stopped and leaves the"
                + " channel to it (taking it back would fence the other writer in turn). Run one writer per channel:"
                + " give every instance its own channel name (e.g. <TABLE>_<instanceId>).", cause);
        this.channel = channel;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }
}
