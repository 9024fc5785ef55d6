package io.snowpiperelay;

import java.time.Duration;
import java.util.Objects;

/**
 * A consistent-enough snapshot of a runner's progress and counters (each value is read once, without a lock;
 * values may be from slightly different instants). Cheap to take: fine to poll every second.
 *
 * <p>Immutable and thread-safe. Only the relay creates instances, so a new metric is a new accessor and
 * never breaks a caller; {@link #equals}, {@link #hashCode} and {@link #toString} cover every value.
 */
public final class RunnerMetrics {
    private final String channel;
    private final RunnerState state;
    private final long committedOffset;
    private final long appendedOffset;
    private final long deletedOffset;
    private final long uncommittedRows;
    private final long uncommittedBytes;
    private final long rowsAppended;
    private final long appendCalls;
    private final long reopenCount;
    private final long rowErrorCount;
    private final long deadLetterCount;
    private final long backpressureCount;
    private final Duration commitLag;
    private final String serviceUnreachable;

    private RunnerMetrics(Builder builder) {
        this.channel = builder.channel;
        this.state = builder.state;
        this.committedOffset = builder.committedOffset;
        this.appendedOffset = builder.appendedOffset;
        this.deletedOffset = builder.deletedOffset;
        this.uncommittedRows = builder.uncommittedRows;
        this.uncommittedBytes = builder.uncommittedBytes;
        this.rowsAppended = builder.rowsAppended;
        this.appendCalls = builder.appendCalls;
        this.reopenCount = builder.reopenCount;
        this.rowErrorCount = builder.rowErrorCount;
        this.deadLetterCount = builder.deadLetterCount;
        this.backpressureCount = builder.backpressureCount;
        this.commitLag = builder.commitLag;
        this.serviceUnreachable = builder.serviceUnreachable;
    }

    /** A builder for the relay's own use; every value starts at zero (or null). */
    static Builder builder() {
        return new Builder();
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The runner's state. */
    public RunnerState state() {
        return state;
    }

    /** The highest offset Snowflake confirmed as committed (0 before any). */
    public long committedOffset() {
        return committedOffset;
    }

    /** The highest offset handed to the SDK or dead-lettered in the current channel instance. */
    public long appendedOffset() {
        return appendedOffset;
    }

    /** The highest offset the runner deleted from the source (never above committedOffset). */
    public long deletedOffset() {
        return deletedOffset;
    }

    /** Rows appended but not yet confirmed. */
    public long uncommittedRows() {
        return uncommittedRows;
    }

    /** Payload bytes appended but not yet confirmed. */
    public long uncommittedBytes() {
        return uncommittedBytes;
    }

    /** Rows handed to the SDK since start, counting rows appended again after a reopen. */
    public long rowsAppended() {
        return rowsAppended;
    }

    /** {@code appendRows} calls since start. */
    public long appendCalls() {
        return appendCalls;
    }

    /** Channel reopens (and client rebuilds) since start. */
    public long reopenCount() {
        return reopenCount;
    }

    /** Rows the service reported as rejected since the channel was first opened. */
    public long rowErrorCount() {
        return rowErrorCount;
    }

    /** Records dead-lettered since start. */
    public long deadLetterCount() {
        return deadLetterCount;
    }

    /** {@code appendRows} calls refused by the SDK as saturated and retried. */
    public long backpressureCount() {
        return backpressureCount;
    }

    /** Age of the oldest appended-but-unconfirmed row; zero when everything is confirmed. */
    public Duration commitLag() {
        return commitLag;
    }

    /**
     * Why the service cannot be reached and since when, e.g. {@code cannot reach the service at https://... since
     * 2026-12-06T05:44:54Z: connection refused by 10.0.0.1:443}; {@code null} while nothing says so.
     */
    public String serviceUnreachable() {
        return serviceUnreachable;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RunnerMetrics)) {
            return false;
        }
        RunnerMetrics that = (RunnerMetrics) other;
        return Objects.equals(channel, that.channel)
                && Objects.equals(state, that.state)
                && committedOffset == that.committedOffset
                && appendedOffset == that.appendedOffset
                && deletedOffset == that.deletedOffset
                && uncommittedRows == that.uncommittedRows
                && uncommittedBytes == that.uncommittedBytes
                && rowsAppended == that.rowsAppended
                && appendCalls == that.appendCalls
                && reopenCount == that.reopenCount
                && rowErrorCount == that.rowErrorCount
                && deadLetterCount == that.deadLetterCount
                && backpressureCount == that.backpressureCount
                && Objects.equals(commitLag, that.commitLag)
                && Objects.equals(serviceUnreachable, that.serviceUnreachable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, state, committedOffset, appendedOffset, deletedOffset, uncommittedRows,
                uncommittedBytes, rowsAppended, appendCalls, reopenCount, rowErrorCount, deadLetterCount,
                backpressureCount, commitLag, serviceUnreachable);
    }

    @Override
    public String toString() {
        return "RunnerMetrics["
                + "channel=" + channel
                + ", state=" + state
                + ", committedOffset=" + committedOffset
                + ", appendedOffset=" + appendedOffset
                + ", deletedOffset=" + deletedOffset
                + ", uncommittedRows=" + uncommittedRows
                + ", uncommittedBytes=" + uncommittedBytes
                + ", rowsAppended=" + rowsAppended
                + ", appendCalls=" + appendCalls
                + ", reopenCount=" + reopenCount
                + ", rowErrorCount=" + rowErrorCount
                + ", deadLetterCount=" + deadLetterCount
                + ", backpressureCount=" + backpressureCount
                + ", commitLag=" + commitLag
                + ", serviceUnreachable=" + serviceUnreachable
                + "]";
    }

    /** Collects the values of one snapshot. Not thread-safe: one caller fills it and calls {@link #build()}. */
    static final class Builder {
        private String channel;
        private RunnerState state;
        private long committedOffset;
        private long appendedOffset;
        private long deletedOffset;
        private long uncommittedRows;
        private long uncommittedBytes;
        private long rowsAppended;
        private long appendCalls;
        private long reopenCount;
        private long rowErrorCount;
        private long deadLetterCount;
        private long backpressureCount;
        private Duration commitLag = Duration.ZERO;
        private String serviceUnreachable;

        private Builder() {
        }

        Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        Builder state(RunnerState state) {
            this.state = state;
            return this;
        }

        Builder committedOffset(long committedOffset) {
            this.committedOffset = committedOffset;
            return this;
        }

        Builder appendedOffset(long appendedOffset) {
            this.appendedOffset = appendedOffset;
            return this;
        }

        Builder deletedOffset(long deletedOffset) {
            this.deletedOffset = deletedOffset;
            return this;
        }

        Builder uncommittedRows(long uncommittedRows) {
            this.uncommittedRows = uncommittedRows;
            return this;
        }

        Builder uncommittedBytes(long uncommittedBytes) {
            this.uncommittedBytes = uncommittedBytes;
            return this;
        }

        Builder rowsAppended(long rowsAppended) {
            this.rowsAppended = rowsAppended;
            return this;
        }

        Builder appendCalls(long appendCalls) {
            this.appendCalls = appendCalls;
            return this;
        }

        Builder reopenCount(long reopenCount) {
            this.reopenCount = reopenCount;
            return this;
        }

        Builder rowErrorCount(long rowErrorCount) {
            this.rowErrorCount = rowErrorCount;
            return this;
        }

        Builder deadLetterCount(long deadLetterCount) {
            this.deadLetterCount = deadLetterCount;
            return this;
        }

        Builder backpressureCount(long backpressureCount) {
            this.backpressureCount = backpressureCount;
            return this;
        }

        Builder commitLag(Duration commitLag) {
            this.commitLag = commitLag;
            return this;
        }

        Builder serviceUnreachable(String serviceUnreachable) {
            this.serviceUnreachable = serviceUnreachable;
            return this;
        }

        RunnerMetrics build() {
            return new RunnerMetrics(this);
        }
    }
}
