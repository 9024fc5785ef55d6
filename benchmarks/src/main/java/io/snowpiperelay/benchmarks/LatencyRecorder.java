package io.snowpiperelay.benchmarks;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Commit-to-delete latency of batches: a batch is marked when it is read (just before its append) with its last
 * offset, and finished when a delete (or an observed commit, for modes without a source) covers that offset.
 * One recorder per channel stream, because offsets are per stream.
 *
 * <p>Thread-safe: marks come from the appending thread, finishes from the confirming thread.
 */
final class LatencyRecorder {

    /** Pending batches of one stream: last offset to the nanoTime of the read. */
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, Long>> pendingByStream = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong lastReadNanos = new java.util.concurrent.atomic.AtomicLong();
    // Guarded by this.
    private long[] samples = new long[1024];
    private int sampleCount;

    /** Marks a batch of {@code stream} whose last offset is {@code lastOffset}, read now. */
    void batchRead(String stream, long lastOffset) {
        long now = System.nanoTime();
        pendingByStream.computeIfAbsent(stream, s -> new ConcurrentSkipListMap<>()).put(lastOffset, now);
        lastReadNanos.accumulateAndGet(now, Math::max);
    }

    /** When the last batch was marked ({@link System#nanoTime()} scale), 0 if none. */
    long lastReadNanos() {
        return lastReadNanos.get();
    }

    /** Finishes every pending batch of {@code stream} whose last offset is at most {@code upToOffset}. */
    void confirmedUpTo(String stream, long upToOffset) {
        ConcurrentSkipListMap<Long, Long> pending = pendingByStream.get(stream);
        if (pending == null) {
            return;
        }
        long now = System.nanoTime();
        ConcurrentNavigableMap<Long, Long> done = pending.headMap(upToOffset, true);
        if (done.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Long readNanos : done.values()) {
                if (sampleCount == samples.length) {
                    samples = Arrays.copyOf(samples, samples.length * 2);
                }
                samples[sampleCount++] = now - readNanos;
            }
        }
        done.clear();
    }

    /** The {@code p}-th percentile (0..100) of the finished batches' latencies in milliseconds, or NaN if none. */
    synchronized double percentileMillis(double p) {
        if (sampleCount == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, sampleCount);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /** How many batch latencies were recorded. */
    synchronized int sampleCount() {
        return sampleCount;
    }
}
