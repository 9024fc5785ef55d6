package io.snowpiperelay.internal;

import io.snowpiperelay.RowErrorPolicy;
import io.snowpiperelay.RowErrorsException;

/**
 * Turns the channel status's cumulative count of rows the service rejected into new errors since the runner last
 * looked, reports them (WARN with count and offset; the service's message only at DEBUG, since it may quote row
 * values) and applies the {@link RowErrorPolicy}: with {@code STOP} it throws, with {@code DEAD_LETTER} it returns
 * the count so the caller settles the suspect range before deleting it ({@link RejectedRowSettler}).
 *
 * <p>The count is cumulative over the channel's life. The first status seen is the baseline, as the Kafka connector
 * does; the status an open returns is the new baseline of that instance (a service that reset the count on reopen
 * would otherwise hide every error until the count passed its old value).
 *
 * <p>Runner thread only.
 */
final class RowErrorMonitor {
    private final String channel;
    private final RowErrorPolicy policy;
    private final RunnerCounters counters;
    private final ListenerEvents events;
    private long seen = -1;

    RowErrorMonitor(String channel, RowErrorPolicy policy, RunnerCounters counters, ListenerEvents events) {
        this.channel = channel;
        this.policy = policy;
        this.counters = counters;
        this.events = events;
    }

    /**
     * The status a (re)open returned. On the first open it is only the baseline; on a reopen, errors counted since
     * the last status seen are new errors.
     *
     * @return the new errors (0 on the first open, or when the count did not grow)
     * @throws RowErrorsException when new errors appear and the policy is STOP
     */
    long opened(ChannelStatusView status) {
        long count = status.rowsErrorCount();
        if (seen < 0 || count < seen) {
            seen = count;
            return 0;
        }
        return check(status);
    }

    /**
     * A status read while running.
     *
     * @return the new errors since the last status (0 when none; a lower count is a stale status)
     * @throws RowErrorsException when new errors appear and the policy is STOP
     */
    long check(ChannelStatusView status) {
        long count = status.rowsErrorCount();
        if (seen < 0 || count <= seen) {
            // First look is the baseline; a lower value is a stale status.
            seen = Math.max(seen, count);
            return 0;
        }
        long fresh = count - seen;
        seen = count;
        counters.rowErrors.add(fresh);
        RunnerLog.LOG.warn("{} - the service rejected {} row(s), the last at or below offset {}", channel, fresh,
                status.lastErrorOffsetUpperBound());
        RunnerLog.LOG.debug("{} - last row error: {}", channel, status.lastErrorMessage());
        events.rowErrors(fresh, status.lastErrorOffsetUpperBound(), status.lastErrorMessage());
        if (policy == RowErrorPolicy.STOP) {
            throw new RowErrorsException(channel, fresh, status.lastErrorOffsetUpperBound(), status.lastErrorMessage());
        }
        return fresh;
    }
}
