package io.snowpiperelay.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows appended by one request, waiting for their commit. They are kept as the request's body ({@link AppendBody}:
 * one array, its zstd frame when it came compressed, cheap for the garbage collector while the commit lag runs) and
 * converted by {@link #map()} just before the commit, on the committer's worker threads.
 *
 * <p>Immutable. The conversion's result is a {@link Converted} the caller holds, never a field of the batch: a batch
 * waits through the commit lag, so it is usually in the old generation by the time its rows are converted, and a
 * young collection takes every field of an old object as a root until a full collection finds it dead. Rows
 * stored in the batch once kept every row written since the last full collection alive, and each young
 * collection copied and promoted them (benchmarks/results/2026-12-02/NOTES.md, change 9).
 */
final class PendingBatch {
    final ChannelState channel;
    final long clientSequencer;
    /** The request's offset token, or null if it carried none (the committed token then stays). */
    final String offsetToken;
    final String sqliteTable;
    final List<String> columnNames;
    final RowConverter converter;
    final AppendBody body;
    final long appendedAtMs;
    final long dueAtNanos;

    /** Per converting thread: the buffer compressed bodies are decompressed into. */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    /**
     * The rows of one batch after conversion.
     *
     * @param batch            the batch they came from
     * @param rows             the converted rows, aligned with the batch's columns
     * @param rowsParsed       non-blank lines read (stored and rejected)
     * @param rowsError        lines rejected
     * @param lastErrorMessage why the last rejected line was rejected, or null
     */
    record Converted(PendingBatch batch, List<Object[]> rows, int rowsParsed, int rowsError, String lastErrorMessage) {
    }

    PendingBatch(ChannelState channel, long clientSequencer, String offsetToken, String sqliteTable,
                 List<String> columnNames, RowConverter converter, AppendBody body, long appendedAtMs, long dueAtNanos) {
        this.channel = channel;
        this.clientSequencer = clientSequencer;
        this.offsetToken = offsetToken;
        this.sqliteTable = sqliteTable;
        this.columnNames = columnNames;
        this.converter = converter;
        this.body = body;
        this.appendedAtMs = appendedAtMs;
        this.dueAtNanos = dueAtNanos;
    }

    /** NDJSON bytes (decompressed), what the bound of pending data counts. */
    long bytes() {
        return body.ndjsonLength();
    }

    /** Splits the NDJSON on '\n' and converts each non-blank line; rejected rows are counted. */
    Converted map() {
        byte[] scratch = SCRATCH.get();
        byte[] buf = body.ndjson(scratch);
        if (buf != scratch && body.compressed() && buf.length <= AppendBody.MAX_KEPT_SCRATCH) {
            SCRATCH.set(buf);  // decompressed into a new array: this thread reuses it (rows copy what they keep)
        }
        int length = body.ndjsonLength();
        List<Object[]> out = new ArrayList<>(Math.max(16, length / 160));
        int parsed = 0;
        int errors = 0;
        String lastError = null;
        int start = 0;
        while (start <= length) {
            int i = Lines.nextNewline(buf, start, length);
            int end = i;
            if (end > start && buf[end - 1] == '\r') {
                end--;
            }
            if (end > start && !blank(buf, start, end)) {
                parsed++;
                Object result = converter.convert(buf, start, end - start);
                if (result instanceof Object[] values) {
                    out.add(values);
                } else {
                    errors++;
                    lastError = result instanceof RowConverter.RowFailure f ? f.message() : String.valueOf(result);
                }
            }
            start = i + 1;
        }
        return new Converted(this, out, parsed, errors, lastError);
    }

    private static boolean blank(byte[] buf, int start, int end) {
        for (int i = start; i < end; i++) {
            byte ch = buf[i];
            if (ch != ' ' && ch != '\t') {
                return false;
            }
        }
        return true;
    }
}
