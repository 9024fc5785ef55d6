package io.snowpiperelay.internal;

import java.util.ArrayDeque;

/**
 * The rows appended to the current channel instance but not yet confirmed committed, chunk by chunk
 * (invariant 7: reading pauses while it is full). A confirmed committed token releases the chunks it covers;
 * a reopen empties it, since the service drops what the old instance had not committed.
 *
 * <p>Changed by the runner's thread only; the totals are volatile so metrics read them from any thread.
 */
public final class UncommittedWindow {
    private record Chunk(long lastOffset, int rows, long bytes, long appendedAtNanos) { }

    // runner thread only
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private volatile long rows;
    private volatile long bytes;
    private volatile long oldestAppendedNanos;

    /** Records a successful {@code appendRows} of {@code rowCount} rows ending at {@code lastOffset}. */
    void add(long lastOffset, int rowCount, long byteCount, long nowNanos) {
        if (chunks.isEmpty()) {
            oldestAppendedNanos = nowNanos;
        }
        chunks.addLast(new Chunk(lastOffset, rowCount, byteCount, nowNanos));
        rows += rowCount;
        bytes += byteCount;
    }

    /** Releases every chunk at or below the committed offset. */
    void release(long committedOffset) {
        while (!chunks.isEmpty() && chunks.peekFirst().lastOffset <= committedOffset) {
            Chunk done = chunks.pollFirst();
            rows -= done.rows;
            bytes -= done.bytes;
        }
        oldestAppendedNanos = chunks.isEmpty() ? 0 : chunks.peekFirst().appendedAtNanos;
    }

    /** Forgets everything (after a reopen: the new instance starts from the committed token). */
    void clear() {
        chunks.clear();
        rows = 0;
        bytes = 0;
        oldestAppendedNanos = 0;
    }

    /** Appended but unconfirmed rows. */
    public long rows() {
        return rows;
    }

    /** Appended but unconfirmed bytes (UTF-8 JSON length, estimated for row maps). */
    public long bytes() {
        return bytes;
    }

    /** {@code System.nanoTime()} of the oldest unconfirmed append, or 0 when everything is confirmed. */
    public long oldestAppendedNanos() {
        return oldestAppendedNanos;
    }
}
