package io.snowpiperelay.benchmarks.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts rows moved by a benchmark whose operation is a whole batch, so that JMH reports rows per second as the
 * secondary metric {@code <benchmark>:rows} next to the batches-per-second score.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RowCounter {

    /** Rows moved in this iteration; JMH turns it into a rate. */
    public long rows;

    @Setup(Level.Iteration)
    public void reset() {
        rows = 0;
    }
}
