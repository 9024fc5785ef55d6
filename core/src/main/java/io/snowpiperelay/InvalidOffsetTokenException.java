package io.snowpiperelay;

/**
 * The channel's committed offset token is not a non-negative decimal long (invariant 3). Something other than
 * this relay wrote to the channel, or the channel belongs to another application. Fatal; nothing is deleted.
 */
public final class InvalidOffsetTokenException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String channel;
    private final String token;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public InvalidOffsetTokenException(String channel, String token) {
        super("channel " + channel + ": committed offset token '" + token + "' is not a non-negative decimal"
                + " offset; the channel was written by something other than this relay. Use a channel name of"
                + " your own, or reset the channel (drop it) if its data is not needed.");
        this.channel = channel;
        this.token = token;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The token as read from the channel. */
    public String token() {
        return token;
    }
}
