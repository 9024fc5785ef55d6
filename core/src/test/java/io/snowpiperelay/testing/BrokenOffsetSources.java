package io.snowpiperelay.testing;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link OffsetSourceContract} subclasses over sources that each break one rule, for
 * {@link OffsetSourceContractSelfTest}. They run only when that test asks for them (a configuration parameter), so
 * a run that selects them by name does not fail.
 */
final class BrokenOffsetSources {
    /** The configuration parameter the self-test sets to run these. */
    static final String RUN_BY_SELF_TEST = "snowpiperelay.contract.self-test";

    private BrokenOffsetSources() {
    }

    static boolean runBySelfTest(ExtensionContext context) {
        return context.getConfigurationParameter(RUN_BY_SELF_TEST).isPresent();
    }

    /**
     * Offsets are taken when an append starts, but every other append becomes visible only when the next one but
     * one starts: the way a sequence-backed table behaves when a transaction commits after a later one.
     */
    @EnabledIf("io.snowpiperelay.testing.BrokenOffsetSources#runBySelfTest")
    static final class LateVisibility extends OffsetSourceContract {
        private final TreeMap<Long, SourceRecord> visible = new TreeMap<>();
        private final List<SourceRecord> inFlight = new ArrayList<>();
        private long next = 1;
        private int calls;

        @Override
        protected OffsetSource createSource() {
            return new MapSource(visible, this, () -> next - 1);
        }

        @Override
        protected synchronized void append(List<String> jsonPayloads) {
            boolean late = calls++ % 2 == 0;
            if (late) {
                inFlight.forEach(r -> visible.put(r.offset(), r)); // the older slow transaction commits now
                inFlight.clear();
            }
            for (String json : jsonPayloads) {
                SourceRecord r = SourceRecord.ofJson(next, json);
                next++;
                if (late) {
                    inFlight.add(r);
                } else {
                    visible.put(r.offset(), r);
                }
            }
        }
    }

    /** Offsets continue after the highest record left, so they restart after deleting everything. */
    @EnabledIf("io.snowpiperelay.testing.BrokenOffsetSources#runBySelfTest")
    static final class ReusedOffsets extends OffsetSourceContract {
        private final TreeMap<Long, SourceRecord> records = new TreeMap<>();

        @Override
        protected OffsetSource createSource() {
            return new MapSource(records, this, () -> records.isEmpty() ? 0 : records.lastKey());
        }

        @Override
        protected synchronized void append(List<String> jsonPayloads) {
            for (String json : jsonPayloads) {
                long offset = records.isEmpty() ? 1 : records.lastKey() + 1;
                records.put(offset, SourceRecord.ofJson(offset, json));
            }
        }
    }

    /** deleteData(x) removes one record too many. */
    @EnabledIf("io.snowpiperelay.testing.BrokenOffsetSources#runBySelfTest")
    static final class GreedyDelete extends OffsetSourceContract {
        private final TreeMap<Long, SourceRecord> records = new TreeMap<>();
        private long next = 1;

        @Override
        protected OffsetSource createSource() {
            return new MapSource(records, this, () -> next - 1) {
                @Override
                public void deleteData(long upToOffsetInclusive) {
                    synchronized (lock) {
                        records.headMap(upToOffsetInclusive + 1, true).clear();
                    }
                }
            };
        }

        @Override
        protected synchronized void append(List<String> jsonPayloads) {
            for (String json : jsonPayloads) {
                records.put(next, SourceRecord.ofJson(next, json));
                next++;
            }
        }
    }

    /** A source over a map guarded by {@code lock}. */
    private static class MapSource implements OffsetSource {
        private final TreeMap<Long, SourceRecord> records;
        final Object lock;
        private final LongSupplier highest;

        MapSource(TreeMap<Long, SourceRecord> records, Object lock, LongSupplier highest) {
            this.records = records;
            this.lock = lock;
            this.highest = highest;
        }

        @Override
        public List<SourceRecord> getData(long afterOffset, int maxRows) {
            synchronized (lock) {
                List<SourceRecord> out = new ArrayList<>();
                for (Map.Entry<Long, SourceRecord> e : records.tailMap(afterOffset, false).entrySet()) {
                    if (out.size() >= maxRows) {
                        break;
                    }
                    out.add(e.getValue());
                }
                return out;
            }
        }

        @Override
        public void deleteData(long upToOffsetInclusive) {
            synchronized (lock) {
                records.headMap(upToOffsetInclusive, true).clear();
            }
        }

        @Override
        public OptionalLong highestIssuedOffset() {
            synchronized (lock) {
                return OptionalLong.of(highest.getAsLong());
            }
        }
    }
}
