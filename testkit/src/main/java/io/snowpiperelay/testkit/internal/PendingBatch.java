package io.snowpiperelay.testkit.internal;

import java.util.List;

/** Rows appended by one request, waiting for their commit. Immutable once queued. */
final class PendingBatch {
    final ChannelState channel;
    final long clientSequencer;
    /** The request's offset token, or null if it carried none (the committed token then stays). */
    final String offsetToken;
    final String sqliteTable;
    final List<String> columnNames;
    final List<Object[]> rows;
    final int rowsParsed;
    final int rowsError;
    final String lastErrorMessage;
    final long appendedAtMs;
    final long dueAtNanos;
    final long bytes;

    PendingBatch(ChannelState channel, long clientSequencer, String offsetToken, String sqliteTable,
                 List<String> columnNames, List<Object[]> rows, int rowsParsed, int rowsError, String lastErrorMessage,
                 long appendedAtMs, long dueAtNanos, long bytes) {
        this.channel = channel;
        this.clientSequencer = clientSequencer;
        this.offsetToken = offsetToken;
        this.sqliteTable = sqliteTable;
        this.columnNames = columnNames;
        this.rows = rows;
        this.rowsParsed = rowsParsed;
        this.rowsError = rowsError;
        this.lastErrorMessage = lastErrorMessage;
        this.appendedAtMs = appendedAtMs;
        this.dueAtNanos = dueAtNanos;
        this.bytes = bytes;
    }
}
