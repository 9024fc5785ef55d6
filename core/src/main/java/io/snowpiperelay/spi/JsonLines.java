package io.snowpiperelay.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * Finding line breaks in UTF-8 bytes fast, for the relay's hot path and for sources that store records as lines
 * (NDJSON), such as the SQLite outbox's packed rows, which {@link #addCheckedLines} splits into records.
 *
 * <p>Why not a byte loop: on the relay's hot path every payload byte is looked at for line breaks once (by the
 * split of a block of lines, or by the runner's guard for a record that came alone), and a byte-at-a-time loop cost
 * more per record than reading it from SQLite (docs/benchmarks.md). These methods test eight bytes per step (the
 * standard "has a zero byte" test on a {@code long} read from the array, exact: no false positives), several times
 * fewer steps for the same answer. Stateless and thread-safe.
 */
public final class JsonLines {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LINE_FEEDS = ONES * '\n';
    private static final long CARRIAGE_RETURNS = ONES * '\r';

    private JsonLines() {
    }

    /**
     * The index of the first {@code '\n'} in {@code bytes[from, to)}, or -1 if there is none.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     */
    public static int indexOfLineFeed(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long zeroWhereLineFeed = (long) LONGS.get(bytes, i) ^ LINE_FEEDS;
            long found = (zeroWhereLineFeed - ONES) & ~zeroWhereLineFeed & HIGHS;
            if (found != 0) {
                // Little-endian: the lowest set flag is the first match (a borrow only ever flags bytes above it).
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Splits {@code block[from, to)}, payloads its source checked when it stored them (one JSON object each, as
     * {@link JsonPayloads#isPlainObject} says) with a {@code '\n'} between them, into records with consecutive
     * offsets from {@code firstOffset}, without copying: each record is a slice of {@code block}
     * ({@link SourceRecord#jsonUtf8Block()}). Adds to {@code out} the lines whose offsets are above
     * {@code afterOffset}, while {@code out} holds fewer than {@code maxRecords}, and counts every line of the block,
     * so that the caller can compare the count with what it stored.
     *
     * <p>Why here: the records are marked as one line ({@link SourceRecord#isOneCheckedLine()}), which spares the
     * runner a second pass over every byte for line breaks; since only this method marks them, and it looks at every
     * byte for both {@code '\n'} and {@code '\r'}, a source cannot mark a payload that would split an NDJSON line.
     * The array is kept: the caller must not change it afterwards.
     *
     * @return the number of lines in {@code block[from, to)} (a {@code '\n'} at the end counts an empty last line),
     *         or -1 when the block holds a {@code '\r'} (then nothing is added)
     * @throws IndexOutOfBoundsException if the range is not within {@code block}
     */
    public static int addCheckedLines(byte[] block, int from, int to, long firstOffset, long afterOffset,
                                      int maxRecords, List<SourceRecord> out) {
        Objects.checkFromToIndex(from, to, block.length);
        int added = out.size();
        int lines = 0;
        int lineStart = from;
        long offset = firstOffset;
        while (true) {
            int lineEnd = indexOfLineBreak(block, lineStart, to);
            if (lineEnd >= 0 && block[lineEnd] == '\r') {
                out.subList(added, out.size()).clear();
                return -1;
            }
            int end = lineEnd < 0 ? to : lineEnd;
            lines++;
            if (offset > afterOffset && out.size() < maxRecords) {
                out.add(SourceRecord.ofCheckedLine(offset, block, lineStart, end));
            }
            offset++;
            if (lineEnd < 0) {
                return lines;
            }
            lineStart = lineEnd + 1;
        }
    }

    /** The index of the first {@code '\n'} or {@code '\r'} in {@code bytes[from, to)}, or -1 if there is none. */
    private static int indexOfLineBreak(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long lf = word ^ LINE_FEEDS;
            long cr = word ^ CARRIAGE_RETURNS;
            long found = (((lf - ONES) & ~lf) | ((cr - ONES) & ~cr)) & HIGHS;
            if (found != 0) {
                // Exact per byte for each test; the lowest flag of either is the first match (little-endian).
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code bytes[from, to)} holds a {@code '\n'} or a {@code '\r'}.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
     */
    public static boolean hasLineBreak(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        return indexOfLineBreak(bytes, from, to) >= 0;
    }
}
