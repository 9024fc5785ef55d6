package io.snowpiperelay.postgres.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Picks a row's partition when it is appended: from its key's hash, so every row of a key goes to the same partition
 * (and keeps its order there), or round-robin per stream for rows without a key.
 *
 * <p>The hash is CRC-32 (IEEE 802.3, as {@link CRC32}, zlib and Python's {@code zlib.crc32}
 * compute it) of the key's UTF-8 bytes, as an unsigned 32-bit number, modulo the partition count. It is stable across
 * JVMs, versions and languages, so producers written in another language can place rows the same way. Thread-safe.
 */
public final class PartitionRouter {

    /** Round-robin positions by stream; only ever grows by the streams this process appends to. */
    private final ConcurrentMap<String, AtomicInteger> nextByStream = new ConcurrentHashMap<>();

    /** The partition of {@code key} among {@code partitionCount}: CRC-32 of its UTF-8 bytes modulo the count. */
    public static int partitionOf(String key, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount is " + partitionCount + "; allowed: >= 1");
        }
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitionCount);
    }

    /**
     * Reserves {@code rows} consecutive round-robin positions of {@code stream} and returns the partition of the first;
     * row {@code i} (from 0) then goes to {@code (first + i) % partitionCount}.
     */
    public int nextPartitions(String stream, int partitionCount, int rows) {
        if (partitionCount == 1) {
            return 0;
        }
        int position = nextByStream.computeIfAbsent(stream, s -> new AtomicInteger()).getAndAdd(rows);
        return Math.floorMod(position, partitionCount);
    }

    /** The next partition of {@code stream} in round-robin order. */
    public int nextPartition(String stream, int partitionCount) {
        if (partitionCount == 1) {
            return 0;
        }
        int position = nextByStream.computeIfAbsent(stream, s -> new AtomicInteger()).getAndIncrement();
        return Math.floorMod(position, partitionCount);
    }
}
