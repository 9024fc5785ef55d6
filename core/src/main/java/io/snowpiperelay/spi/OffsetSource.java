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
 *       (an outbox uses {@code AUTOINCREMENT}). Gaps are allowed. The runner checks the order and stops with an
 *       error naming the offsets if a source breaks it (invariant 4).</li>
 *   <li><b>Visibility:</b> once {@link #getData} has returned a record with offset {@code n}, no record with an
 *       offset below {@code n} may become visible later. The runner reads after the last offset it handled, so
 *       such a late record would be skipped, then removed by a later {@link #deleteData}. A source whose offsets
 *       come from a counter taken before its writers commit (a database sequence, a clock) breaks this when two
 *       writers commit out of order: it must only hand out offsets below every record still in flight (for
 *       PostgreSQL, below the oldest open transaction's snapshot), or assign offsets in commit order.</li>
 *   <li>{@link #getData} returns records in ascending offset order; it may return fewer than asked, and an
 *       empty list when nothing is pending. It must not block waiting for data.</li>
 *   <li>{@link #deleteData} is called by the runner only with an offset Snowflake has confirmed as
 *       committed; it removes exactly the records at or below it and is idempotent (deleting already deleted
 *       offsets is a no-op).</li>
 *   <li>{@link #highestIssuedOffset} lets the runner vouch for the range a committed token covers. A source that
 *       cannot tell still works, but the runner then deletes nothing on open and cannot detect a recreated
 *       source (see that method).</li>
 * </ul>
 * A reusable JUnit 5 contract test checks all of this for any implementation:
 * {@code io.snowpiperelay.testing.OffsetSourceContract} in core's test-jar (docs/using-the-library.md,
 * "Writing your own source").
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
     * (for SQLite: {@code sqlite_sequence}; for a database table: the sequence's last value or a high-water mark
     * kept in the same transaction as the inserts). It must never go down, not even when every record is deleted,
     * and must survive a restart of the application.
     *
     * <p>The runner uses it on every (re)open: a committed token above it means the source was recreated or restored
     * and resuming would skip its rows, so the runner refuses to start (invariant 6); a committed token at or below
     * it is vouched for, so the runner deletes up to it (rows committed before a crash but not yet deleted).
     *
     * <p>Empty when the source cannot tell. The runner then cannot tell a recreated source whose offsets restarted
     * from rows committed before a restart: it deletes nothing on open (the rows at or below the committed token
     * stay until a later row of this run commits), logs one WARN, and relays what comes after the committed token.
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
