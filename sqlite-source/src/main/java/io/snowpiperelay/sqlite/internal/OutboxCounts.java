package io.snowpiperelay.sqlite.internal;

/**
 * Counts and marks of one stream, for inspection: pending rows and the highest offset ever issued.
 * Thread-safe through {@link OutboxReader}. Streams are canonical names.
 */
public final class OutboxCounts {

    private final OutboxReader reader;

    public OutboxCounts(OutboxReader reader) {
        this.reader = reader;
    }

    /** The rows in {@code canonical} not yet deleted by its relay; a full count, so cost grows with the backlog. */
    public long pendingCount(String canonical) {
        return reader.readLong(canonical, "pendingCount", OutboxSql.countRows(canonical), null);
    }

    /** The highest offset ever issued in {@code canonical}, including deleted rows (from {@code sqlite_sequence}). */
    public long highestIssuedOffset(String canonical) {
        return reader.readLong(canonical, "highestIssuedOffset", OutboxSql.SELECT_SEQUENCE,
                StreamNames.table(canonical));
    }
}
