package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.OutboxPartition;
import io.snowpiperelay.postgres.internal.OutboxTables;
import io.snowpiperelay.postgres.internal.RelayLock;
import io.snowpiperelay.postgres.internal.Sequencer;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import javax.sql.DataSource;

/**
 * The relay side of one stream of a {@link PostgresOutbox}: the {@link OffsetSource} the runner drains, and the
 * {@link DeadLetterHandler} that keeps records the runner cannot send. Get one from
 * {@link PostgresOutbox#openSource(String)}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Offsets follow visibility</b> (invariant 8): the offsets {@link #getData} returns are stamped by a
 *       sequencer in the relay's own short transaction, onto committed rows only, from a per-stream counter: dense,
 *       strictly increasing, and never below an offset already handed out, however the producers' transactions
 *       interleave. A transaction still open when a batch is stamped has its rows stamped by a later pass, above; a
 *       rolled-back one never had rows. See {@code docs/postgres-outbox.md}.</li>
 *   <li>At most one source per (outbox table, stream) is open at a time, across threads, processes and hosts: the
 *       source holds a session-level advisory lock from open to {@link #close()}, which PostgreSQL also releases when
 *       the relay's session ends (even after {@code kill -9}). A second relay gets
 *       {@link PostgresOutboxLockedException} naming the holder.</li>
 *   <li>{@link #deleteData} removes stamped rows by offset range, in transactions of at most
 *       {@link PostgresOutboxConfig#deleteChunkRows()} rows; it is idempotent. The runner calls it only with offsets
 *       Snowflake confirmed as committed.</li>
 *   <li>{@link #highestIssuedOffset()} is the stream's counter, the highest offset ever stamped, deleted rows
 *       included: a committed token above it means the outbox tables were recreated, and the runner refuses to
 *       start (invariant 6, {@link io.snowpiperelay.SourceRegressionException}).</li>
 *   <li>{@link #handle} returns only after the dead letter is committed to {@code <prefix>_dead_letter}; it commits
 *       before any later delete of its offset on the same session, so a crash never keeps the delete and loses the
 *       dead letter.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Meant for one relay thread, as {@link OffsetSource} specifies; calls are serialised on the source's own session,
 * so every method is safe from any thread. Producers are never blocked by it: the sequencer and the deletes touch
 * only committed rows, which producers never lock.
 *
 * <h2>Failures</h2>
 * An SQL error throws {@link PostgresOutboxException} (a {@link io.snowpiperelay.spi.SourceException}: the runner
 * retries it). If the session was lost, the next call opens a new one and takes the lock again first; if another
 * relay took the stream meanwhile, that call throws {@link PostgresOutboxLockedException}.
 */
public final class PostgresOffsetSource implements OffsetSource, DeadLetterHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresOffsetSource.class);

    /**
     * How often a running source looks for rows in partitions it does not read (a producer started later with more
     * partitions); {@link PostgresOutbox#openSource} checks once when it opens.
     */
    static final Duration STRANDED_ROWS_CHECK_INTERVAL = Duration.ofSeconds(30);

    private final String stream;
    private final String table;
    private final String description;
    private final OutboxPartition partition;
    private final Consumer<PostgresOffsetSource> onClose;
    private final IntSupplier highestPartitionWithRows;
    // Only the relay thread reads and writes these (OffsetSource: one relay thread).
    private Duration strandedRowsCheckInterval = STRANDED_ROWS_CHECK_INTERVAL;
    private long nextStrandedRowsCheck = System.nanoTime() + STRANDED_ROWS_CHECK_INTERVAL.toNanos();
    private PostgresOutboxException strandedRows;

    private PostgresOffsetSource(DataSource dataSource, OutboxTables tables, String stream, PostgresOutboxConfig config,
                                 Consumer<PostgresOffsetSource> onClose, IntSupplier highestPartitionWithRows) {
        this.stream = stream;
        this.table = tables.outbox;
        this.description = "outbox " + tables.outbox + ", stream " + stream;
        this.partition = new OutboxPartition(dataSource, tables, stream, OutboxTables.DEFAULT_PARTITION, description,
                "snowpipe-relay " + stream, "; open a new one with PostgresOutbox.openSource",
                config.deleteChunkRows(), new AdvisoryLockOwnership(tables, stream));
        this.onClose = onClose;
        this.highestPartitionWithRows = highestPartitionWithRows;
    }

    /** Opens a session, checks the relay's grants, takes the stream's lock. Called by {@link PostgresOutbox}. */
    static PostgresOffsetSource open(DataSource dataSource, OutboxTables tables, String stream,
                                     PostgresOutboxConfig config, Consumer<PostgresOffsetSource> onClose,
                                     IntSupplier highestPartitionWithRows) {
        PostgresOffsetSource source = new PostgresOffsetSource(dataSource, tables, stream, config, onClose,
                highestPartitionWithRows);
        long lastStampedOffset = source.partition.open();
        log.info("{} - relay source opened, advisory lock held, highest stamped offset {}", source.description,
                lastStampedOffset);
        return source;
    }

    /**
     * The stream's relay is the session holding its advisory lock (see {@link RelayLock}); no check is needed inside
     * the writing transactions, since no other relay can hold the lock meanwhile.
     */
    private static final class AdvisoryLockOwnership implements OutboxPartition.Ownership {

        private final OutboxTables tables;
        private final String stream;
        private final RelayLock relayLock;

        AdvisoryLockOwnership(OutboxTables tables, String stream) {
            this.tables = tables;
            this.stream = stream;
            this.relayLock = new RelayLock(tables, stream, OutboxTables.DEFAULT_PARTITION);
        }

        @Override
        public void acquire(Connection session) throws SQLException {
            if (!relayLock.tryAcquire(session)) {
                throw new PostgresOutboxLockedException(tables.outbox, stream, relayLock.describeHolder(session));
            }
        }

        @Override
        public void checkHeldLocally() {
            // The lock lives as long as the session; a lost session is found, and the lock retaken, on the next call.
        }

        @Override
        public Sequencer.Guard writeGuard() {
            return Sequencer.Guard.NONE;
        }

        @Override
        public void release(Connection session) throws SQLException {
            relayLock.release(session);
        }
    }

    /**
     * The next rows after {@code afterOffset}, in ascending offset order. Rows already stamped (by an earlier call,
     * before a restart or a rewind) come back as they were stamped; when there are none, committed rows are stamped
     * now. Never blocks waiting for data.
     *
     * @param afterOffset return only rows with offset &gt; this; 0 for the beginning
     * @param maxRows     the most rows to return, &gt; 0
     * @return up to {@code maxRows} records, possibly empty, never null
     * @throws IllegalArgumentException if {@code afterOffset} &lt; 0 or {@code maxRows} &lt; 1
     * @throws PostgresOutboxException  on an SQL failure, after {@link #close()}, or if {@code afterOffset} is above
     *                                  every offset the stream ever issued (the tables were recreated)
     */
    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        checkNoStrandedRows();
        return partition.getData(afterOffset, maxRows);
    }

    /**
     * Every {@link #STRANDED_ROWS_CHECK_INTERVAL}: whether a producer appended to a partition this source does not
     * read. Once found, every read fails with the same exception, so the runner stops (after its retries) naming the
     * cause instead of relaying partition 0 while the other partitions' rows wait forever, unreported.
     */
    private void checkNoStrandedRows() {
        if (strandedRows != null) {
            throw strandedRows;
        }
        long now = System.nanoTime();
        if (now - nextStrandedRowsCheck < 0) {
            return;
        }
        nextStrandedRowsCheck = now + strandedRowsCheckInterval.toNanos();
        int highest = highestPartitionWithRows.getAsInt();
        if (highest > OutboxTables.DEFAULT_PARTITION) {
            strandedRows = PostgresOutbox.partitionedStreamRefused(table, stream, highest);
            log.error("{} - {}", description, strandedRows.getMessage());
            throw strandedRows;
        }
    }

    /** For tests: look for rows in other partitions at every read after this one, or at this interval. */
    void checkStrandedRowsEvery(Duration interval) {
        strandedRowsCheckInterval = interval;
        nextStrandedRowsCheck = System.nanoTime();
    }

    /**
     * Deletes every row with offset &lt;= {@code upToOffsetInclusive}, in transactions of at most
     * {@link PostgresOutboxConfig#deleteChunkRows()} rows, lowest first. Idempotent; rows above the bound, and rows
     * not yet stamped, are never touched. If it fails part-way, the chunks already committed stay deleted and a retry
     * finishes the rest.
     *
     * @param upToOffsetInclusive the highest offset to delete; 0 deletes nothing
     * @throws IllegalArgumentException if {@code upToOffsetInclusive} &lt; 0
     * @throws PostgresOutboxException  on an SQL failure or after {@link #close()}
     */
    @Override
    public void deleteData(long upToOffsetInclusive) {
        partition.deleteData(upToOffsetInclusive);
    }

    /**
     * The highest offset ever stamped in this stream, deleted rows included (the stream's counter row); 0 if none
     * was. A committed token above it means the outbox tables were recreated or restored from an old backup
     * (invariant 6).
     *
     * @throws PostgresOutboxException on an SQL failure or after {@link #close()}
     */
    @Override
    public OptionalLong highestIssuedOffset() {
        return OptionalLong.of(partition.highestIssuedOffset());
    }

    /**
     * Stores {@code deadLetter} in {@code <prefix>_dead_letter} under this stream and commits before returning.
     * Storing the same (stream, offset) again replaces the earlier entry, so a relay that hands over the same record
     * after a restart leaves one entry.
     *
     * @throws PostgresOutboxException on an SQL failure or after {@link #close()}; the dead letter is then not stored
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        partition.handle(deadLetter);
    }

    /** {@code "outbox <schema>.<table>, stream <stream>"}. */
    @Override
    public String describe() {
        return description;
    }

    /** The stream this source relays. */
    public String stream() {
        return stream;
    }

    /** The outbox table, schema-qualified. */
    public String table() {
        return table;
    }

    /**
     * Releases the advisory lock and closes the session (returning it to its pool, if any). Waits for a call in
     * progress to finish. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!partition.close()) {
            return;
        }
        onClose.accept(this);
        log.info("{} - relay source closed, lock released", description);
    }

    @Override
    public String toString() {
        return "PostgresOffsetSource[" + description + "]";
    }
}
