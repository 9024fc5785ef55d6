package io.snowpiperelay.spi;

import java.util.List;
import java.util.OptionalLong;

/**
 * A local, offset-addressed queue the relay drains into one Snowpipe Streaming channel: for example one
 * stream (table) of the SQLite outbox. This mirrors the {@code fn_get_data(offset, max)} /
 * {@code fn_delete_data(offset)} contract of Snowflake's streaming quickstart.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Offsets are {@code long}s &gt; 0, strictly increasing, and never reused, even after a delete
 *       (an outbox uses {@code AUTOINCREMENT}). The runner checks this and stops with an error naming the
 *       offsets if a source breaks it (invariant 4).</li>
 *   <li>{@link #getData} returns records in ascending offset order; it may return fewer than asked, and an
 *       empty list when nothing is pending. It must not block waiting for data.</li>
 *   <li>{@link #deleteData} is called by the runner only with an offset Snowflake has confirmed as
 *       committed; it is idempotent (deleting already deleted offsets is a no-op).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * One runner calls one source from one thread at a time. Producers may write to the underlying store
 * concurrently; that is the source's business.
 *
 * <h2>Failures</h2>
 * Methods throw {@link SourceException} (or any runtime exception) on I/O failure; the runner retries with a
 * bounded backoff and never deletes past what is committed.
 */
public interface OffsetSource {

    /**
     * The next records after {@code afterOffset}.
     *
     * @param afterOffset return only records with offset &gt; this; 0 means from the beginning
     * @param maxRows     the most records to return, &gt; 0
     * @return up to {@code maxRows} records in ascending offset order, never {@code null}
     */
    List<SourceRecord> getData(long afterOffset, int maxRows);

    /**
     * Removes every record with offset &lt;= {@code upToOffsetInclusive}. Idempotent.
     *
     * @param upToOffsetInclusive the highest offset to remove; the runner passes only committed offsets
     */
    void deleteData(long upToOffsetInclusive);

    /**
     * The highest offset this source has ever issued, including deleted records, if the source knows it
     * (for SQLite: {@code sqlite_sequence}). The runner uses it to detect a recreated or restored source:
     * a committed token above it means rows would be silently skipped, so the runner refuses to start
     * (invariant 6). Empty when the source cannot tell; the check is then skipped.
     */
    default OptionalLong highestIssuedOffset() {
        return OptionalLong.empty();
    }

    /**
     * A short description for logs and error messages, e.g. {@code "outbox /data/outbox.db, stream LIFT_RIDE"}.
     * Must not contain secrets.
     */
    default String describe() {
        return getClass().getSimpleName();
    }
}
