package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe in-memory {@link OffsetSource} that several runners may share (to stage two writers of one
 * channel over the same queue). Offsets start at 1 and are never reused.
 */
public final class MemorySource implements OffsetSource {
    private final ConcurrentSkipListMap<Long, String> rows = new ConcurrentSkipListMap<>();
    private final AtomicLong lastIssued = new AtomicLong();

    /** Appends a JSON payload and returns its offset. */
    public synchronized long append(String json) {
        long offset = lastIssued.incrementAndGet();
        rows.put(offset, json);
        return offset;
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        List<SourceRecord> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : rows.tailMap(afterOffset, false).entrySet()) {
            if (out.size() >= maxRows) {
                break;
            }
            out.add(SourceRecord.ofJson(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public void deleteData(long upToOffsetInclusive) {
        rows.headMap(upToOffsetInclusive, true).clear();
    }

    @Override
    public OptionalLong highestIssuedOffset() {
        return OptionalLong.of(lastIssued.get());
    }

    /** Rows not deleted yet. */
    public int pending() {
        return rows.size();
    }

    @Override
    public String describe() {
        return "memory source";
    }
}
