package io.snowpiperelay.sqlite;

/**
 * How hard SQLite works to make a commit durable ({@code PRAGMA synchronous}), always with the write-ahead
 * log ({@code journal_mode=WAL}).
 *
 * <p>The choice matters for exactly-once: if a commit the producer was told about is lost, the relay may
 * already have shipped those rows to Snowflake, and SQLite then hands the same offsets to new rows, which
 * the relay skips as "already committed". The relay detects the regression only while the outbox's
 * highest issued offset is still below the committed token (invariant 6). So pick the mode that matches
 * the failures you must survive.
 */
public enum SynchronousMode {

    /**
     * {@code synchronous=NORMAL}: the WAL is written on every commit but fsync-ed only at checkpoints.
     * Every commit survives a crash or {@code kill -9} of the process (the data is in the operating
     * system's page cache); a power loss or kernel panic may roll back the most recent commits. The
     * usual choice, and several times faster than {@link #FULL} for small transactions.
     */
    NORMAL,

    /**
     * {@code synchronous=FULL}: the WAL is fsync-ed on every commit, so a commit survives power loss too,
     * at the cost of one fsync per transaction (batch your appends with {@code appendAll}).
     */
    FULL
}
