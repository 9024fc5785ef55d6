package io.snowpiperelay.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows appended by one request, waiting for their commit. They are kept as the request's body ({@link AppendBody}:
 * one array, its zstd frame when it came compressed, cheap for the garbage collector while the commit lag runs) and
 * converted by {@link #map()} just before the commit, on the committer's worker threads.
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

    // results of map(); written by one worker thread before the committer reads them (happens-before via join)
    List<Object[]> rows = List.of();
    int rowsParsed;
    int rowsError;
    String lastErrorMessage;

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
    void map() {
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
        rows = out;
        rowsParsed = parsed;
        rowsError = errors;
        lastErrorMessage = lastError;
    }

    /**
     * Drops the converted rows once they are written (or dropped). Why it matters: a batch waits through the commit
     * lag, so it is usually in the old generation by the time its rows are converted, and a young collection takes
     * every old object's fields as roots until a full collection finds it dead. Left set, {@code rows} kept all
     * the rows written since the last full collection alive: each young collection copied and promoted them.
     */
    void forgetRows() {
        rows = List.of();
        lastErrorMessage = null;
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
