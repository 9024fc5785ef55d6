package io.snowpiperelay.testing;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An in-memory source whose offsets deliberately leave gaps (each append skips {@code 1 + n % 3} values after the
 * previous offset, as rolled-back inserts would), and that keeps the whole contract otherwise: records visible in
 * offset order, exact range deletes, never-reused offsets, a highest issued offset that never goes down. It runs
 * {@link OffsetSourceContract} in core's own tests. Thread-safe (guarded by {@code this}).
 */
public final class GappedInMemorySource implements OffsetSource {
    private final TreeMap<Long, SourceRecord> records = new TreeMap<>();
    private long highestIssued;
    private long appends;

    /** Appends these JSON payloads, each at an offset that skips a few values after the previous one. */
    public synchronized void append(List<String> jsonPayloads) {
        for (String json : jsonPayloads) {
            long offset = highestIssued + 1 + (appends++ % 3);
            highestIssued = offset;
            records.put(offset, SourceRecord.ofJson(offset, json));
        }
    }

    /** Issues (and so skips) the next offset without a record. */
    public synchronized void skipOffset() {
        highestIssued++;
    }

    @Override
    public synchronized List<SourceRecord> getData(long afterOffset, int maxRows) {
        List<SourceRecord> out = new ArrayList<>(Math.min(maxRows, records.size()));
        for (Map.Entry<Long, SourceRecord> e : records.tailMap(afterOffset, false).entrySet()) {
            if (out.size() >= maxRows) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    @Override
    public synchronized void deleteData(long upToOffsetInclusive) {
        records.headMap(upToOffsetInclusive, true).clear();
    }

    @Override
    public synchronized OptionalLong highestIssuedOffset() {
        return OptionalLong.of(highestIssued);
    }

    @Override
    public String describe() {
        return "gapped in-memory test source";
    }
}
