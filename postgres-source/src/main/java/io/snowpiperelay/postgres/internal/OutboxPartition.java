package io.snowpiperelay.postgres.internal;

import io.snowpiperelay.postgres.MissingGrantException;
import io.snowpiperelay.postgres.PostgresOutboxException;
import io.snowpiperelay.spi.DeadLetter;
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
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The relay's side of one (stream, partition) of the PostgreSQL outbox, on its own database session: reads stamped
 * rows, stamps committed ones ({@link Sequencer}), deletes confirmed ones in chunks and stores dead letters. Both
 * relay sources delegate to it; they differ only in how they own the partition, which is the {@link Ownership} they
 * pass: the single relay's advisory lock, or a fleet member's lease.
 *
 * <p>Thread-safe: every call is serialised on the session.
 */
public final class OutboxPartition {

    private static final Logger log = LoggerFactory.getLogger(OutboxPartition.class);

    /** How long {@link Connection#isValid(int)} may take to tell a lost session after a failure. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    /**
     * How a source owns its partition: what makes a new session the partition's relay, what is checked before each
     * call and inside each writing transaction, and what is given back when the session closes.
     */
    public interface Ownership {

        /**
         * Makes {@code session} the partition's relay, or throws; run on each new session after the grants are
         * checked and before the partition's counter row is registered.
         */
        void acquire(Connection session) throws SQLException;

        /** Throws when the partition is known, without asking the database, to be no longer owned. */
        void checkHeldLocally();

        /**
         * Checked first inside each stamping and deleting transaction; {@link Sequencer.Guard#NONE} when ownership
         * needs no check there (deletes then run without a transaction of their own).
         */
        Sequencer.Guard writeGuard();

        /** Gives the ownership back before {@code session} closes (it may return to a pool rather than end). */
        void release(Connection session) throws SQLException;
    }

    private final DataSource dataSource;
    private final OutboxTables tables;
    private final String stream;
    private final int partition;
    private final String description;
    private final String applicationName;
    private final String whenClosed;
    private final int deleteChunkRows;
    private final Ownership ownership;
    private final Sequencer sequencer;

    /** Guards every field below. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The relay's session; holds the ownership. Replaced after it is lost. */
    private Connection session;
    /** Set when a call failed; the next call checks the session and reconnects if it is gone. */
    private boolean sessionSuspect;
    /** The highest offset stamped so far, as this source last saw it. */
    private long lastStampedOffset;
    /** Every stamped row at or below this offset is known to be deleted; saves a query on repeated deletes. */
    private long deletedThroughOffset;
    private boolean closed;

    /**
     * @param description     names the partition in messages and logs, e.g. {@code "outbox public.x, stream S"}
     * @param applicationName the session's {@code application_name}, shown in {@code pg_stat_activity}
     * @param whenClosed      appended to the message of a call after {@link #close()}: how to get a new source
     */
    public OutboxPartition(DataSource dataSource, OutboxTables tables, String stream, int partition, String description,
                           String applicationName, String whenClosed, int deleteChunkRows, Ownership ownership) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.stream = stream;
        this.partition = partition;
        this.description = description;
        this.applicationName = applicationName;
        this.whenClosed = whenClosed;
        this.deleteChunkRows = deleteChunkRows;
        this.ownership = ownership;
        this.sequencer = new Sequencer(tables, stream, partition);
    }

    /** Opens the session (grants checked, ownership acquired, counter row registered); returns the highest offset. */
    public long open() {
        lock.lock();
        try {
            connect();
            return lastStampedOffset;
        } finally {
            lock.unlock();
        }
    }

    /** Opens a new session and makes it the partition's relay. Caller holds {@link #lock}. */
    private void connect() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            // Shown in pg_stat_activity, and to a second relay that is refused.
            connection.setClientInfo("ApplicationName", applicationName);
            String role = Grants.currentUser(connection);
            List<String> missing = Grants.missingToRelay(connection, tables, role);
            if (!missing.isEmpty()) {
                throw new MissingGrantException(tables.outbox, stream, role, "to relay", missing, null);
            }
            ownership.acquire(connection);
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

    /** {@link io.snowpiperelay.spi.OffsetSource#getData}: stamped rows first, else rows stamped now. */
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        if (afterOffset < 0) {
            throw new IllegalArgumentException(description + ": afterOffset is " + afterOffset + "; allowed: >= 0");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException(description + ": maxRows is " + maxRows + "; allowed: >= 1");
        }
        lock.lock();
        try {
            ownership.checkHeldLocally();
            Connection connection = session();
            if (afterOffset > lastStampedOffset) {
                // An earlier owner of the partition may have stamped since this source read the counter.
                lastStampedOffset = readLastOffset(connection);
                if (afterOffset > lastStampedOffset) {
                    // Stamping now would issue offsets at or below afterOffset, which the caller would skip.
                    throw new PostgresOutboxException(tables.outbox, stream, description + ": asked for rows after"
                            + " offset " + afterOffset + " but the highest offset ever issued is " + lastStampedOffset
                            + "; the outbox tables were recreated or restored. Restore them, or start over on a new"
                            + " channel", null);
                }
            }
            if (afterOffset < lastStampedOffset) {
                List<SourceRecord> stamped = readStamped(connection, afterOffset, maxRows);
                if (!stamped.isEmpty()) {
                    return stamped;
                }
            }
            long stampedBefore = lastStampedOffset;
            Sequencer.Pass pass = sequencer.stamp(connection, maxRows, lastStampedOffset, ownership.writeGuard());
            lastStampedOffset = pass.lastOffset();
            List<SourceRecord> records = pass.records();
            if (log.isDebugEnabled() && !records.isEmpty()) {
                log.debug("{} - stamped {} rows up to offset {}", description, records.size(), pass.lastOffset());
            }
            if (!records.isEmpty() && records.get(0).offset() != stampedBefore + 1) {
                // Stamped by an earlier owner after this source read the counter: hand those out first.
                return readStamped(connection, afterOffset, maxRows);
            }
            return records;
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
     * {@link io.snowpiperelay.spi.OffsetSource#deleteData}: deletes stamped rows up to {@code upToOffsetInclusive},
     * lowest first, in chunks of at most {@code deleteChunkRows} rows, each its own transaction with the ownership's
     * write guard checked first. Idempotent; chunks committed before a failure stay deleted.
     */
    public void deleteData(long upToOffsetInclusive) {
        if (upToOffsetInclusive < 0) {
            throw new IllegalArgumentException(description + ": upToOffsetInclusive is " + upToOffsetInclusive
                    + "; allowed: >= 0");
        }
        lock.lock();
        try {
            ownership.checkHeldLocally();
            Connection connection = session();
            if (upToOffsetInclusive <= deletedThroughOffset) {
                return;
            }
            // Offsets are dense, so a range of deleteChunkRows offsets holds at most that many rows.
            long deletedRows = 0;
            long lowest = lowestStamped(connection);
            while (lowest > 0 && lowest <= upToOffsetInclusive) {
                long bound = Math.min(upToOffsetInclusive, lowest + deleteChunkRows - 1);
                deletedRows += deleteChunk(connection, lowest, bound);
                lowest = bound == upToOffsetInclusive ? 0 : lowestStamped(connection);
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

    private int deleteChunk(Connection connection, long lowest, long bound) throws SQLException {
        Sequencer.Guard guard = ownership.writeGuard();
        if (guard == Sequencer.Guard.NONE) {
            // A single statement in auto-commit is its own transaction.
            return deleteRange(connection, lowest, bound);
        }
        return Transactions.inTransaction(connection, tx -> {
            guard.check(tx);
            return deleteRange(tx, lowest, bound);
        });
    }

    private int deleteRange(Connection connection, long lowest, long bound) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(tables.deleteRange())) {
            delete.setString(1, stream);
            delete.setInt(2, partition);
            delete.setLong(3, lowest);
            delete.setLong(4, bound);
            return delete.executeUpdate();
        }
    }

    private long lowestStamped(Connection connection) throws SQLException {
        return queryLong(connection, tables.selectLowestStamped()); // min() of no rows is NULL, read as 0
    }

    /** {@link io.snowpiperelay.spi.OffsetSource#highestIssuedOffset}: the partition's counter, read now. */
    public long highestIssuedOffset() {
        lock.lock();
        try {
            Connection connection = session();
            lastStampedOffset = readLastOffset(connection);
            return lastStampedOffset;
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("highestIssuedOffset", e);
        } finally {
            lock.unlock();
        }
    }

    private long readLastOffset(Connection connection) throws SQLException {
        return queryLong(connection, tables.selectLastOffset());
    }

    /** Runs a query of one long by (stream, partition); 0 when it returns no row or NULL. */
    private long queryLong(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, stream);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
    }

    /**
     * {@link io.snowpiperelay.spi.DeadLetterHandler#handle}: stores the dead letter (an upsert by stream, partition
     * and offset, so handing the same record over again leaves one entry) and commits before returning.
     */
    public void handle(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        lock.lock();
        try {
            ownership.checkHeldLocally();
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

    /**
     * Gives the ownership back and closes the session (returning it to its pool, if any). Waits for a call in progress
     * to finish. Never throws.
     *
     * @return true if this call closed it, false if it was closed already
     */
    public boolean close() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            if (session != null) {
                try {
                    // A pooled session outlives close(): the ownership must not go back to the pool with it.
                    ownership.release(session);
                } catch (SQLException e) {
                    log.debug("{} - giving the ownership back: {}", description, e.toString());
                }
                closeQuietly(session, null);
                session = null;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The session, after checking it is open and, after a failure, still alive. Caller holds {@link #lock}. */
    private Connection session() throws SQLException {
        if (closed) {
            throw new PostgresOutboxException(tables.outbox, stream, description + ": the source is closed"
                    + whenClosed, null);
        }
        if (session != null && sessionSuspect) {
            if (session.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                sessionSuspect = false;
            } else {
                log.warn("{} - the relay session was lost; reconnecting and acquiring the partition again",
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
