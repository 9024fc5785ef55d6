package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.Grants;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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

    /** How long {@link Connection#isValid(int)} may take to tell a lost session after a failure. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final OutboxTables tables;
    private final String stream;
    private final int partition;
    private final String description;
    private final int deleteChunkRows;
    private final RelayLock relayLock;
    private final Sequencer sequencer;
    private final Consumer<PostgresOffsetSource> onClose;

    /** Guards every field below. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The relay's session; holds the advisory lock. Replaced after it is lost. */
    private Connection session;
    /** Set when a call failed; the next call checks the session and reconnects if it is gone. */
    private boolean sessionSuspect;
    /** The highest offset stamped so far; only this source stamps while it holds the lock. */
    private long lastStampedOffset;
    /** Every stamped row at or below this offset is known to be deleted; saves a query on repeated deletes. */
    private long deletedThroughOffset;
    private boolean closed;

    private PostgresOffsetSource(DataSource dataSource, OutboxTables tables, String stream, PostgresOutboxConfig config,
                                 Consumer<PostgresOffsetSource> onClose) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.stream = stream;
        this.partition = OutboxTables.DEFAULT_PARTITION;
        this.description = "outbox " + tables.outbox + ", stream " + stream;
        this.deleteChunkRows = config.deleteChunkRows();
        this.relayLock = new RelayLock(tables, stream, partition);
        this.sequencer = new Sequencer(tables, stream, partition);
        this.onClose = onClose;
    }

    /** Opens a session, checks the relay's grants, takes the stream's lock. Called by {@link PostgresOutbox}. */
    static PostgresOffsetSource open(DataSource dataSource, OutboxTables tables, String stream,
                                     PostgresOutboxConfig config, Consumer<PostgresOffsetSource> onClose) {
        PostgresOffsetSource source = new PostgresOffsetSource(dataSource, tables, stream, config, onClose);
        source.lock.lock();
        try {
            source.connect();
        } finally {
            source.lock.unlock();
        }
        log.info("{} - relay source opened, advisory lock held, highest stamped offset {}", source.description,
                source.lastStampedOffset);
        return source;
    }

    /** Opens a new session and makes it the relay of the stream. Caller holds {@link #lock}. */
    private void connect() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            // Shown in pg_stat_activity, and to a second relay that is refused.
            connection.setClientInfo("ApplicationName", "snowpipe-relay " + stream);
            String role = Grants.currentUser(connection);
            List<String> missing = Grants.missingToRelay(connection, tables, role);
            if (!missing.isEmpty()) {
                throw new MissingGrantException(tables.outbox, stream, role, "to relay", missing, null);
            }
            if (!relayLock.tryAcquire(connection)) {
                throw new PostgresOutboxLockedException(tables.outbox, stream, relayLock.describeHolder(connection));
            }
            try (PreparedStatement register = connection.prepareStatement(tables.registerStream())) {
                register.setString(1, stream);
                register.setInt(2, partition);
                register.executeUpdate();
            }
            lastStampedOffset = readLastOffset(connection);
            session = connection;
            sessionSuspect = false;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw failure("opening the relay session", (SQLException) e);
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
        if (afterOffset < 0) {
            throw new IllegalArgumentException(description + ": afterOffset is " + afterOffset + "; allowed: >= 0");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException(description + ": maxRows is " + maxRows + "; allowed: >= 1");
        }
        lock.lock();
        try {
            Connection connection = session();
            if (afterOffset > lastStampedOffset) {
                // Stamping now would issue offsets at or below afterOffset, which the caller would skip.
                throw new PostgresOutboxException(tables.outbox, stream, description + ": asked for rows after offset "
                        + afterOffset + " but the highest offset ever issued is " + lastStampedOffset
                        + "; the outbox tables were recreated or restored. Restore them, or start over on a new"
                        + " channel", null);
            }
            if (afterOffset < lastStampedOffset) {
                List<SourceRecord> stamped = readStamped(connection, afterOffset, maxRows);
                if (!stamped.isEmpty()) {
                    return stamped;
                }
            }
            Sequencer.Pass pass = sequencer.stamp(connection, maxRows, lastStampedOffset);
            lastStampedOffset = pass.lastOffset();
            if (log.isDebugEnabled() && !pass.records().isEmpty()) {
                log.debug("{} - stamped {} rows up to offset {}", description, pass.records().size(),
                        pass.lastOffset());
            }
            return pass.records();
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("getData(after " + afterOffset + ", max " + maxRows + ")", e);
        } finally {
            lock.unlock();
        }
    }

    private List<SourceRecord> readStamped(Connection connection, long afterOffset, int maxRows) throws SQLException {
        List<SourceRecord> records = new ArrayList<>(Math.min(maxRows, 4096));
        try (PreparedStatement query = connection.prepareStatement(tables.selectStamped())) {
            query.setString(1, stream);
            query.setInt(2, partition);
            query.setLong(3, afterOffset);
            query.setInt(4, maxRows);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    records.add(SourceRecord.ofJson(rows.getLong(1), rows.getString(2)));
                }
            }
        }
        return records;
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
        if (upToOffsetInclusive < 0) {
            throw new IllegalArgumentException(description + ": upToOffsetInclusive is " + upToOffsetInclusive
                    + "; allowed: >= 0");
        }
        lock.lock();
        try {
            Connection connection = session();
            if (upToOffsetInclusive <= deletedThroughOffset) {
                return;
            }
            // Offsets are dense, so a range of deleteChunkRows offsets holds at most that many rows.
            long deletedRows = 0;
            long lowest = lowestStamped(connection);
            try (PreparedStatement delete = connection.prepareStatement(tables.deleteRange())) {
                while (lowest > 0 && lowest <= upToOffsetInclusive) {
                    long bound = Math.min(upToOffsetInclusive, lowest + deleteChunkRows - 1);
                    delete.setString(1, stream);
                    delete.setInt(2, partition);
                    delete.setLong(3, lowest);
                    delete.setLong(4, bound);
                    deletedRows += delete.executeUpdate();
                    lowest = bound == upToOffsetInclusive ? 0 : lowestStamped(connection);
                }
            }
            deletedThroughOffset = upToOffsetInclusive;
            if (log.isDebugEnabled()) {
                log.debug("{} - deleted {} rows up to offset {}", description, deletedRows, upToOffsetInclusive);
            }
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("deleteData(up to " + upToOffsetInclusive + ")", e);
        } finally {
            lock.unlock();
        }
    }

    private long lowestStamped(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(tables.selectLowestStamped())) {
            query.setString(1, stream);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L; // min() of no rows is NULL, which getLong reads as 0
            }
        }
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
        lock.lock();
        try {
            Connection connection = session();
            long last = readLastOffset(connection);
            lastStampedOffset = last;
            return OptionalLong.of(last);
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("highestIssuedOffset", e);
        } finally {
            lock.unlock();
        }
    }

    private long readLastOffset(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(tables.selectLastOffset())) {
            query.setString(1, stream);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
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
        Objects.requireNonNull(deadLetter, "deadLetter");
        lock.lock();
        try {
            Connection connection = session();
            try (PreparedStatement upsert = connection.prepareStatement(tables.upsertDeadLetter())) {
                upsert.setString(1, stream);
                upsert.setInt(2, partition);
                upsert.setLong(3, deadLetter.offset());
                upsert.setString(4, deadLetter.channel());
                upsert.setString(5, deadLetter.payload());
                upsert.setString(6, deadLetter.reason());
                upsert.setTimestamp(7, Timestamp.from(deadLetter.recordedAt()));
                upsert.executeUpdate();
            }
            // The reason stays out of the log: parser messages can quote the payload. It is in the table.
            log.warn("{} - dead letter stored: offset {}, channel {} (see table {})", description,
                    deadLetter.offset(), deadLetter.channel(), tables.deadLetters);
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("storing the dead letter at offset " + deadLetter.offset(), e);
        } finally {
            lock.unlock();
        }
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
        return tables.outbox;
    }

    /**
     * Releases the advisory lock and closes the session (returning it to its pool, if any). Waits for a call in
     * progress to finish. Idempotent; never throws.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (session != null) {
                try {
                    // A pooled session outlives close(): the lock must not go back to the pool with it.
                    relayLock.release(session);
                } catch (SQLException e) {
                    log.debug("{} - releasing the advisory lock: {}", description, e.toString());
                }
                closeQuietly(session, null);
                session = null;
            }
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
        log.info("{} - relay source closed, lock released", description);
    }

    @Override
    public String toString() {
        return "PostgresOffsetSource[" + description + "]";
    }

    /** The session, after checking it is open and, after a failure, still alive. Caller holds {@link #lock}. */
    private Connection session() throws SQLException {
        if (closed) {
            throw new PostgresOutboxException(tables.outbox, stream, description
                    + ": the source is closed; open a new one with PostgresOutbox.openSource", null);
        }
        if (session != null && sessionSuspect) {
            if (session.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                sessionSuspect = false;
            } else {
                log.warn("{} - the relay session was lost; reconnecting and taking the stream's lock again",
                        description);
                closeQuietly(session, null);
                session = null;
            }
        }
        if (session == null) {
            connect();
        }
        return session;
    }

    private PostgresOutboxException failure(String operation, SQLException e) {
        if (Grants.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            return new PostgresOutboxException(tables.outbox, stream, description + ": " + operation
                    + " failed: permission denied (" + e.getMessage() + "); see docs/postgres-outbox.md, section"
                    + " Grants, for what the relay's role needs", e);
        }
        return new PostgresOutboxException(tables.outbox, stream, description + ": " + operation + " failed: "
                + e.getMessage() + " (SQLState " + e.getSQLState() + "); the relay retries; if it persists, check"
                + " the server, the network and the role's grants", e);
    }

    private static void closeQuietly(Connection connection, Exception primary) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                log.debug("closing a relay session failed: {}", e.toString());
            }
        }
    }
}
