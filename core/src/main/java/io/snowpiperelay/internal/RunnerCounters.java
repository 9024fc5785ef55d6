package io.snowpiperelay.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * A runner's event counters, cumulative since it started. Incremented by the runner's thread, read by metrics
 * from any thread: {@link LongAdder}s, cheap to bump and lock-free to read.
 */
public final class RunnerCounters {
    final LongAdder rowsAppended = new LongAdder();
    final LongAdder appendCalls = new LongAdder();
    final LongAdder reopens = new LongAdder();
    final LongAdder rowErrors = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder backpressure = new LongAdder();

    /** Rows handed to {@code appendRows} (again after a reopen too). */
    public long rowsAppended() {
        return rowsAppended.sum();
    }

    /** {@code appendRows} calls that succeeded. */
    public long appendCalls() {
        return appendCalls.sum();
    }

    /** Channel reopens after a failure. */
    public long reopens() {
        return reopens.sum();
    }

    /** Rows the service rejected, seen in the channel status since the open. */
    public long rowErrors() {
        return rowErrors.sum();
    }

    /** Records handed to the dead-letter handler. */
    public long deadLetters() {
        return deadLetters.sum();
    }

    /** {@code appendRows} calls refused by the SDK as saturated. */
    public long backpressure() {
        return backpressure.sum();
    }
}
