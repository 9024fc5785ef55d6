package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.util.function.ToLongFunction;

/** Row counts summed over the ski-resort tables, for the torture harnesses' checks (SQLite and PostgreSQL alike). */
final class SkiTotals {

    private SkiTotals() {
    }

    /** Rows not yet deleted from an outbox, given its per-stream pending count. */
    static long outboxLeft(ToLongFunction<String> pendingCountOfStream) {
        long left = 0;
        for (SkiTable t : SkiTable.values()) {
            left += pendingCountOfStream.applyAsLong(t.streamName());
        }
        return left;
    }

    /** Rows in the emulator's ski-resort tables. */
    static long landed(SnowpipeEmulator emulator) {
        long n = 0;
        for (SkiTable t : SkiTable.values()) {
            n += emulator.queryForLong("SELECT count(*) FROM " + t.tableName());
        }
        return n;
    }
}
