package io.snowpiperelay.internal;

import java.util.Objects;

/**
 * The result of opening a channel: the instance and its status at open (which carries the committed token).
 *
 * @param channel the opened channel instance
 * @param status  the status the service returned with the open
 */
public record OpenedChannel(ChannelPort channel, ChannelStatusView status) {
    public OpenedChannel {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(status, "status");
    }
}
