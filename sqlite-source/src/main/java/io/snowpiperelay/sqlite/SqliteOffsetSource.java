package io.snowpiperelay.sqlite;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.sqlite.internal.OutboxSql;
import io.snowpiperelay.sqlite.internal.PackedRows;
import io.snowpiperelay.sqlite.internal.RelayLock;
import io.snowpiperelay.sqlite.internal.SqliteConnections;
import io.snowpiperelay.sqlite.internal.StreamNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The relay side of one stream of a {@link SqliteOutbox}: the {@link OffsetSource} the runner drains, and the
 * {@link DeadLetterHandler} that keeps records the runner cannot send. Get one from
 * {@link SqliteOutbox#openSource(String)}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>At most one source per (outbox file, stream) is open at a time, across threads and processes: the
 *       source holds an operating-system lock on {@code <outbox file>.<stream>.relay.lock} from open to
 *       {@link #close()}. The operating system releases it if the process dies, even by {@code kill -9}.</li>
 *   <li>{@link #getData} returns committed rows only, in ascending offset order. Offsets are issued in commit
 *       order (see {@link SqliteOutbox}), so no row can later appear below an offset already returned.</li>
 *   <li>{@link #deleteData} removes rows in transactions of at most {@link OutboxConfig#deleteChunkRows()}
 *       rows, so producers wait at most one short transaction; it is idempotent.</li>
 *   <li>{@link #handle} returns only after the dead letter is committed to table {@code dead_letter} with the
 *       outbox's durability. It is committed before any later delete of its offset, and SQLite's write-ahead
 *       log keeps commits in order, so a crash can never keep the delete and lose the dead letter.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Meant for one relay thread, as {@link OffsetSource} specifies; every method is nevertheless safe to call
 * from any thread (calls are serialised on the source's own connection). Producers are never blocked by
 * reads (WAL) and at most by one delete chunk.
 *
 * <h2>Failures</h2>
 * SQLITE_BUSY is retried by SQLite for up to {@link OutboxConfig#busyTimeout()}; any other SQL error, and
 * use after {@link #close()}, throws {@link OutboxException} (a {@link io.snowpiperelay.spi.SourceException})
 * naming the file and the stream.
 */
public final class SqliteOffsetSource implements OffsetSource, DeadLetterHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteOffsetSource.class);

    /** Initial capacity cap of a batch list: large enough for typical batches, bounded for huge maxRows. */
    private static final int MAX_INITIAL_BATCH_CAPACITY = 4096;
    private static final byte[] EMPTY = new byte[0];

    private final Path file;
    private final String stream;
    private final String description;
    private final int deleteChunkRows;
    private final RelayLock relayLock;
    private final Consumer<SqliteOffsetSource> onClose;

    /** Guards the connection, its statements and {@link #deletedThroughOffset}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final PreparedStatement selectBatch;
    private final PreparedStatement deleteUpTo;
    private final PreparedStatement selectLowest;
    private final PreparedStatement selectFirstRowAbove;
    private final PreparedStatement trimPackedRow;
    private final PreparedStatement selectSequence;
    private final PreparedStatement upsertDeadLetter;
    /**
     * Every record at or below this offset is known to be deleted (a packed row that also holds records above it was
     * rewritten without them); saves a query on repeated deletes.
     */
    private long deletedThroughOffset;
    /** Transactions the last {@link #deleteData} call used (for tests of the chunking). */
    private int lastDeleteTransactions;
    private volatile boolean closed;

    private SqliteOffsetSource(Path file, String stream, OutboxConfig config, RelayLock relayLock,
                               Connection connection, Consumer<SqliteOffsetSource> onClose) throws SQLException {
        this.file = file;
        this.stream = stream;
        this.description = "outbox " + file + ", stream " + stream;
        this.deleteChunkRows = config.deleteChunkRows();
        this.relayLock = relayLock;
        this.connection = connection;
        this.onClose = onClose;
        this.selectBatch = connection.prepareStatement(OutboxSql.selectBatch(stream));
        this.deleteUpTo = connection.prepareStatement(OutboxSql.deleteUpTo(stream));
        this.selectLowest = connection.prepareStatement(OutboxSql.selectLowest(stream));
        this.selectFirstRowAbove = connection.prepareStatement(OutboxSql.selectFirstRowAbove(stream));
        this.trimPackedRow = connection.prepareStatement(OutboxSql.trimPackedRow(stream));
        this.selectSequence = connection.prepareStatement(OutboxSql.SELECT_SEQUENCE);
        this.selectSequence.setString(1, StreamNames.table(stream));
        this.upsertDeadLetter = connection.prepareStatement(OutboxSql.UPSERT_DEAD_LETTER);
    }

    /**
     * Takes the relay lock, then opens the connection. Called by {@link SqliteOutbox#openSource(String)}
     * once the stream table exists.
     */
    static SqliteOffsetSource open(Path file, String stream, OutboxConfig config,
                                   Consumer<SqliteOffsetSource> onClose) {
        RelayLock relayLock;
        try {
            relayLock = RelayLock.acquire(file, stream);
        } catch (IOException e) {
            throw new OutboxException(file, stream, "outbox " + file + " stream " + stream
                    + ": cannot take the relay lock " + RelayLock.lockFileOf(file, stream) + ": " + e
                    + "; check that the directory is writable", e);
        }
        Connection connection = null;
        try {
            connection = SqliteConnections.openForRelay(file, config);
            SqliteOffsetSource source = new SqliteOffsetSource(file, stream, config, relayLock, connection, onClose);
            log.info("{} - relay source opened, lock {} held by pid {}", source.description, relayLock.lockFile(),
                    ProcessHandle.current().pid());
            return source;
        } catch (SQLException | RuntimeException e) {
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            try {
                relayLock.close();
            } catch (IOException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            throw new OutboxException(file, stream, "outbox " + file + " stream " + stream
                    + ": cannot open the relay source: " + e.getMessage(), e);
        }
    }

    /**
     * The committed rows after {@code afterOffset}, in ascending offset order, as JSON records (marked checked
     * when the append found the payload to be a plain JSON object, see {@link SourceRecord#ofCheckedJsonUtf8}).
     * Never blocks waiting for data.
     *
     * @param afterOffset return only rows with offset &gt; this; 0 for the beginning
     * @param maxRows     the most rows to return, &gt; 0
     * @return up to {@code maxRows} records, possibly empty, never null
     * @throws IllegalArgumentException if {@code afterOffset} &lt; 0 or {@code maxRows} &lt; 1
     * @throws OutboxException          on an SQL failure or after {@link #close()}
     */
    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        if (afterOffset < 0) {
            throw new IllegalArgumentException(description + ": afterOffset is " + afterOffset + "; allowed: >= 0");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException(description + ": maxRows is " + maxRows + "; allowed: >= 1");
        }
        lock.lock();
        try {
            ensureOpen();
            selectBatch.setLong(1, afterOffset);
            selectBatch.setInt(2, maxRows);
            List<SourceRecord> records = new ArrayList<>(Math.min(maxRows, MAX_INITIAL_BATCH_CAPACITY));
            // The result set is always closed: an open one would keep a read transaction (and its snapshot).
            try (ResultSet rows = selectBatch.executeQuery()) {
                while (records.size() < maxRows && rows.next()) {
                    PackedRows.unpack(rows.getLong(1), rows.getInt(4), rows.getInt(3) == 1, payloadOf(rows),
                            afterOffset, maxRows, records);
                }
            } catch (PackedRows.CorruptRowException e) {
                throw new OutboxException(file, stream, description + ": " + e.getMessage(), e);
            }
            return records;
        } catch (SQLException e) {
            throw failure("getData(after " + afterOffset + ", max " + maxRows + ")", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The payload column as UTF-8 bytes. SQLite keeps TEXT as UTF-8: the bytes go to the runner as they are, and
     * it parses them without decoding them to a {@code String}, which {@code getString} would do in native code
     * for every row only for the parser to read characters again.
     */
    private static byte[] payloadOf(ResultSet rows) throws SQLException {
        byte[] utf8 = rows.getBytes(2);
        // SQLite returns no bytes for an empty text; the column is NOT NULL, so that is "".
        return utf8 == null ? EMPTY : utf8;
    }

    /**
     * Deletes every row with offset &lt;= {@code upToOffsetInclusive}, in transactions of at most
     * {@link OutboxConfig#deleteChunkRows()} rows, lowest first. Idempotent; records above the bound are never
     * touched: a packed table row that also holds records above it is rewritten without its records at or below the
     * bound. If it fails part-way, the chunks already committed stay deleted and a retry finishes the rest.
     *
     * @param upToOffsetInclusive the highest offset to delete; 0 deletes nothing
     * @throws IllegalArgumentException if {@code upToOffsetInclusive} &lt; 0
     * @throws OutboxException          on an SQL failure or after {@link #close()}
     */
    @Override
    public void deleteData(long upToOffsetInclusive) {
        if (upToOffsetInclusive < 0) {
            throw new IllegalArgumentException(description + ": upToOffsetInclusive is " + upToOffsetInclusive
                    + "; allowed: >= 0");
        }
        lock.lock();
        try {
            ensureOpen();
            if (upToOffsetInclusive <= deletedThroughOffset) {
                lastDeleteTransactions = 0;
                return;
            }
            long deletedRows = 0;
            int chunks = 0;
            // Offsets are distinct integers, so a range of deleteChunkRows offsets holds at most that many rows: each
            // transaction deletes a range starting at the lowest row left. Terminates: every pass deletes that row.
            long lowest = lowestOffset();
            while (lowest > 0 && lowest <= upToOffsetInclusive) {
                long bound = Math.min(upToOffsetInclusive, lowest + deleteChunkRows - 1);
                deleteUpTo.setLong(1, bound);
                deletedRows += deleteUpTo.executeUpdate();
                chunks++;
                lowest = bound == upToOffsetInclusive ? 0 : lowestOffset();
            }
            int trimmed = trimPackedRowAbove(upToOffsetInclusive);
            deletedThroughOffset = upToOffsetInclusive;
            lastDeleteTransactions = chunks;
            if (log.isDebugEnabled()) {
                log.debug("{} - deleted {} rows up to offset {} in {} transactions, {} records cut from a packed row",
                        description, deletedRows, upToOffsetInclusive, chunks, trimmed);
            }
        } catch (SQLException e) {
            throw failure("deleteData(up to " + upToOffsetInclusive + ")", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the records at or below {@code upTo} from the packed row that also holds records above it, if there is
     * one, so that a delete removes exactly the records it names. One row rewritten per call at most: rows wholly at
     * or below {@code upTo} are gone already. Caller holds the lock.
     *
     * @return the records removed from the row (0 when no row straddles {@code upTo})
     */
    private int trimPackedRowAbove(long upTo) throws SQLException {
        long lastOffset;
        String payload;
        int rowCount;
        selectFirstRowAbove.setLong(1, upTo);
        try (ResultSet rows = selectFirstRowAbove.executeQuery()) {
            if (!rows.next()) {
                return 0;
            }
            lastOffset = rows.getLong(1);
            rowCount = rows.getInt(3);
            if (lastOffset - rowCount >= upTo) {
                return 0; // its first record is above upTo
            }
            payload = rows.getString(2);
        }
        int drop = (int) (upTo - (lastOffset - rowCount));
        String rest;
        try {
            rest = PackedRows.dropFirst(lastOffset, payload == null ? "" : payload, drop);
        } catch (PackedRows.CorruptRowException e) {
            throw new OutboxException(file, stream, description + ": " + e.getMessage(), e);
        }
        trimPackedRow.setString(1, rest);
        trimPackedRow.setInt(2, rowCount - drop);
        trimPackedRow.setLong(3, lastOffset);
        trimPackedRow.setInt(4, rowCount);
        trimPackedRow.executeUpdate();
        return drop;
    }

    /** The lowest offset in the stream's table, 0 when it is empty. Caller holds the lock. */
    private long lowestOffset() throws SQLException {
        try (ResultSet rows = selectLowest.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0L; // min() of no rows is NULL, which getLong reads as 0
        }
    }

    /**
     * The highest offset ever issued in this stream, deleted rows included, from {@code sqlite_sequence}; 0
     * if no row was ever appended. A committed token above it means the outbox was recreated or restored
     * from an old copy (invariant 6).
     *
     * @throws OutboxException on an SQL failure or after {@link #close()}
     */
    @Override
    public OptionalLong highestIssuedOffset() {
        lock.lock();
        try {
            ensureOpen();
            try (ResultSet rows = selectSequence.executeQuery()) {
                return OptionalLong.of(rows.next() ? rows.getLong(1) : 0L);
            }
        } catch (SQLException e) {
            throw failure("highestIssuedOffset", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores {@code deadLetter} in table {@code dead_letter} under this stream and commits before returning.
     * Storing the same (stream, offset) again replaces the earlier entry, so a relay that hands over the same
     * record after a restart leaves one entry.
     *
     * @throws OutboxException on an SQL failure or after {@link #close()}; the dead letter is then not stored
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        lock.lock();
        try {
            ensureOpen();
            upsertDeadLetter.setString(1, stream);
            upsertDeadLetter.setLong(2, deadLetter.offset());
            upsertDeadLetter.setString(3, deadLetter.channel());
            upsertDeadLetter.setString(4, deadLetter.payload());
            upsertDeadLetter.setString(5, deadLetter.reason());
            upsertDeadLetter.setString(6, deadLetter.recordedAt().toString());
            upsertDeadLetter.executeUpdate();
            // The reason stays out of the log: parser messages can quote the payload. It is in the table.
            log.warn("{} - dead letter stored: offset {}, channel {} (see table dead_letter)", description,
                    deadLetter.offset(), deadLetter.channel());
        } catch (SQLException e) {
            throw failure("storing the dead letter at offset " + deadLetter.offset(), e);
        } finally {
            lock.unlock();
        }
    }

    /** {@code "outbox <file>, stream <stream>"}. */
    @Override
    public String describe() {
        return description;
    }

    /** The outbox file (absolute, symbolic links resolved). */
    public Path file() {
        return file;
    }

    /** The stream's name as stored in the outbox. */
    public String stream() {
        return stream;
    }

    /** The lock file this source holds: {@code <outbox file>.<stream>.relay.lock}. */
    public Path lockFile() {
        return relayLock.lockFile();
    }

    /**
     * Closes the connection and releases the relay lock. Waits for a call in progress to finish (bounded by
     * the busy timeout). Idempotent; never throws.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (AutoCloseable closeable : new AutoCloseable[] {
                    selectBatch, deleteUpTo, selectLowest, selectFirstRowAbove, trimPackedRow, selectSequence, upsertDeadLetter, connection, relayLock}) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("{} - closing {} failed: {}", description, closeable, e.toString());
                }
            }
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
        log.info("{} - relay source closed, lock released", description);
    }

    /** How many delete transactions the last {@link #deleteData} call ran; 0 if it had nothing to do. */
    int lastDeleteTransactions() {
        lock.lock();
        try {
            return lastDeleteTransactions;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteOffsetSource[" + description + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new OutboxException(file, stream, description
                    + ": the source is closed; open a new one with SqliteOutbox.openSource", null);
        }
    }

    private OutboxException failure(String operation, SQLException e) {
        return new OutboxException(file, stream, description + ": " + operation + " failed: " + e.getMessage()
                + "; the relay retries; if it persists, check the file, the disk and other processes' locks", e);
    }
}
