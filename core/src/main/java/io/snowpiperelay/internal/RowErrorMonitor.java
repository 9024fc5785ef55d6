package io.snowpiperelay.internal;

import io.snowpiperelay.RowErrorPolicy;
import io.snowpiperelay.RowErrorsException;

/**
 * Turns the channel status's cumulative count of rows the service rejected into new errors since the open,
 * reports them (WARN with count and offset, the service's message only at DEBUG since it may quote row values)
 * and applies the {@link RowErrorPolicy}. The first status seen is the baseline, as the Kafka connector does.
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

    /** @throws RowErrorsException when new errors appear and the policy is STOP */
    void check(ChannelStatusView status) {
        long count = status.rowsErrorCount();
        if (seen < 0 || count <= seen) {
            // First look is the baseline (the count is cumulative over the channel's life); a lower value is stale.
            seen = Math.max(seen, count);
            return;
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
    }
}
