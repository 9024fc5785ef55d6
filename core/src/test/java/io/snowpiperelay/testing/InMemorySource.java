package io.snowpiperelay.testing;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceException;
import io.snowpiperelay.spi.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * An in-memory outbox. Records JSON rows {@code {"id": offset, ...}}; checks invariant 2 on every delete
 * against a committed-offset oracle (the fake service) and records violations instead of throwing, so a
 * test can assert there were none. Thread-safe (guarded by {@code this}).
 */
public class InMemorySource implements OffsetSource {
    private final TreeMap<Long, SourceRecord> records = new TreeMap<>();
    private final LongSupplier committedOracle;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Long> deletes = new CopyOnWriteArrayList<>();
    private long nextOffset = 1;
    private long highestIssued;
    private boolean reportHighest = true;
    private int failReads;
    private int failDeletes;
    private int reads;

    /** @param committedOracle the channel's committed offset on the service, read at delete time */
    public InMemorySource(LongSupplier committedOracle) {
        this.committedOracle = committedOracle;
    }

    /** Adds {@code n} rows with the next offsets. */
    public synchronized void addRows(int n) {
        for (int i = 0; i < n; i++) {
            long o = nextOffset++;
            records.put(o, SourceRecord.ofJson(o, "{\"id\":" + o + ",\"v\":\"row " + o + "\"}"));
            highestIssued = o;
        }
    }

    /** Adds one row with this JSON payload at the next offset; returns the offset. */
    public synchronized long addJson(String json) {
        long o = nextOffset++;
        records.put(o, SourceRecord.ofJson(o, json));
        highestIssued = o;
        return o;
    }

    /** Puts a record as it is (for order violations); does not move the next offset. */
    public synchronized void put(SourceRecord r) {
        records.put(r.offset(), r);
        highestIssued = Math.max(highestIssued, r.offset());
    }

    /** Makes the source say it issued at most {@code highest} (a recreated outbox). */
    public synchronized void setHighestIssued(long highest) {
        highestIssued = highest;
    }

    public synchronized void reportHighestIssued(boolean report) {
        reportHighest = report;
    }

    public synchronized void failNextReads(int n) {
        failReads = n;
    }

    public synchronized void failNextDeletes(int n) {
        failDeletes = n;
    }

    public synchronized int reads() {
        return reads;
    }

    @Override
    public synchronized List<SourceRecord> getData(long afterOffset, int maxRows) {
        reads++;
        if (failReads > 0) {
            failReads--;
            throw new SourceException("injected read failure");
        }
        List<SourceRecord> out = new ArrayList<>();
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
        if (failDeletes > 0) {
            failDeletes--;
            throw new SourceException("injected delete failure");
        }
        long committed = committedOracle.getAsLong();
        if (upToOffsetInclusive > committed) {
            violations.add("deleteData(" + upToOffsetInclusive + ") while the committed offset was " + committed);
        }
        deletes.add(upToOffsetInclusive);
        records.headMap(upToOffsetInclusive, true).clear();
    }

    @Override
    public synchronized OptionalLong highestIssuedOffset() {
        return reportHighest ? OptionalLong.of(highestIssued) : OptionalLong.empty();
    }

    @Override
    public String describe() {
        return "in-memory test outbox";
    }

    public synchronized int remaining() {
        return records.size();
    }

    public synchronized List<Long> remainingOffsets() {
        return new ArrayList<>(records.keySet());
    }

    /** Invariant-2 violations seen (must stay empty). */
    public List<String> violations() {
        return violations;
    }

    /** Every deleteData argument, in order. */
    public List<Long> deletes() {
        return deletes;
    }
}
