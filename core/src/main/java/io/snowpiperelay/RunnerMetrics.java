package io.snowpiperelay;

import java.time.Duration;

/**
 * A consistent-enough snapshot of a runner's progress and counters (each value is read once, without a lock;
 * values may be from slightly different instants). Cheap to take: fine to poll every second.
 *
 * @param channel           the channel name
 * @param state             the runner's state
 * @param committedOffset   the highest offset Snowflake confirmed as committed (0 before any)
 * @param appendedOffset    the highest offset handed to the SDK or dead-lettered in the current channel instance
 * @param deletedOffset     the highest offset the runner deleted from the source (never above committedOffset)
 * @param uncommittedRows   rows appended but not yet confirmed
 * @param uncommittedBytes  payload bytes appended but not yet confirmed
 * @param rowsAppended      rows handed to the SDK since start, counting rows appended again after a reopen
 * @param appendCalls       {@code appendRows} calls since start
 * @param reopenCount       channel reopens (and client rebuilds) since start
 * @param rowErrorCount     rows the service reported as rejected since the channel was first opened
 * @param deadLetterCount   records dead-lettered since start
 * @param backpressureCount {@code appendRows} calls refused by the SDK as saturated and retried
 * @param commitLag         age of the oldest appended-but-unconfirmed row; zero when everything is confirmed
 * @param serviceUnreachable {@code null} while nothing says the service cannot be reached, else e.g. {@code cannot
 *                          reach the service at https://... since 2026-12-06T05:44:54Z: connection refused}
 */
public record RunnerMetrics(String channel, RunnerState state, long committedOffset, long appendedOffset,
                            long deletedOffset, long uncommittedRows, long uncommittedBytes, long rowsAppended,
                            long appendCalls, long reopenCount, long rowErrorCount, long deadLetterCount,
                            long backpressureCount, Duration commitLag,
                            String serviceUnreachable) {
}
