package io.snowpiperelay.internal;

import java.time.Instant;

/**
 * The parts of a channel's status the runner uses, as read from the SDK's status cache or an open result.
 *
 * @param statusCode              the service's status code, {@code SUCCESS} when healthy
 * @param committedToken          the latest committed offset token, or {@code null} when none
 * @param rowsErrorCount          rows the service rejected on this channel, cumulative
 * @param lastErrorOffsetUpperBound offset token upper bound of the last rejected row, or {@code null}
 * @param lastErrorMessage        the service's message for the last rejected row, or {@code null}; may quote row values
 * @param refreshedAt             when the SDK received this status from the service, or {@code null} when unknown
 *                                (a value older than the channel's open may predate it and is not used to judge
 *                                a regression)
 */
public record ChannelStatusView(String statusCode, String committedToken, long rowsErrorCount,
                                String lastErrorOffsetUpperBound, String lastErrorMessage, Instant refreshedAt) {

    /** A healthy status with the given token and no row errors. */
    public static ChannelStatusView ok(String committedToken) {
        return new ChannelStatusView("SUCCESS", committedToken, 0, null, null, null);
    }
}
