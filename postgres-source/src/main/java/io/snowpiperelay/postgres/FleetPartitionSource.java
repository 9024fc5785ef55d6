package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.Grants;
import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.postgres.internal.OutboxTables;
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
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The source of one partition of one stream, relayed by a {@link RelayFleet} member while it holds the partition's
 * lease. It is {@link PostgresOffsetSource} with the advisory lock replaced by the lease (invariant 9):
 * <ul>
 *   <li>{@link #getData} hands out nothing once the member's local lease deadline has passed or the lease was revoked
 *       ({@link LeaseLostException});</li>
 *   <li>stamping and every delete chunk run in a transaction that first checks, by the database's clock, that this
 *       member still holds the lease with its epoch, and locks the lease row {@code FOR SHARE} until it commits, so a
 *       member that lost the lease can neither stamp nor delete, and no claim can slip in between check and write;</li>
 *   <li>the session sets {@code idle_in_transaction_session_timeout}, so a member frozen inside such a transaction
 *       (SIGSTOP, a long GC pause) has its session ended by the server and cannot hold the lease row locked forever.</li>
 * </ul>
 * An advisory lock would not do here: it lives as long as the session, and a frozen member's session stays open, so
 * the lock would never move to a live member. Thread-safe (calls are serialised on the source's session).
 */
final class FleetPartitionSource implements OffsetSource, DeadLetterHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetPartitionSource.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;

    private final DataSource dataSource;
    private final OutboxTables tables;
    private final LeaseStore leases;
    private final LeaseHold hold;
    private final String stream;
    private final int partition;
    private final String description;
    private final int deleteChunkRows;
    private final Duration idleInTransactionTimeout;
    private final Sequencer sequencer;
    private final Sequencer.Guard leaseGuard;

    /** Guards every field below. */
    private final ReentrantLock lock = new ReentrantLock();
    private Connection session;
    private boolean sessionSuspect;
    private long lastStampedOffset;
    private long deletedThroughOffset;
    private boolean closed;

    private FleetPartitionSource(DataSource dataSource, OutboxTables tables, LeaseStore leases, LeaseHold hold,
                                 int deleteChunkRows, Duration idleInTransactionTimeout) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.leases = leases;
        this.hold = hold;
        this.stream = hold.lease().stream();
        this.partition = hold.lease().partition();
        this.description = "outbox " + tables.outbox + ", stream " + stream + " partition " + partition
                + " (member " + hold.member() + ", epoch " + hold.lease().epoch() + ")";
        this.deleteChunkRows = deleteChunkRows;
        this.idleInTransactionTimeout = idleInTransactionTimeout;
        this.sequencer = new Sequencer(tables, stream, partition);
        this.leaseGuard = this::checkLeaseInTransaction;
    }

    /** Opens the partition's session (grants checked, counter row registered). */
    static FleetPartitionSource open(DataSource dataSource, OutboxTables tables, LeaseStore leases, LeaseHold hold,
                                     int deleteChunkRows, Duration idleInTransactionTimeout) {
        FleetPartitionSource source = new FleetPartitionSource(dataSource, tables, leases, hold, deleteChunkRows,
                idleInTransactionTimeout);
        source.lock.lock();
        try {
            source.connect();
        } finally {
            source.lock.unlock();
        }
        log.info("{} - partition source opened, highest stamped offset {}", source.description,
                source.lastStampedOffset);
        return source;
    }

    private void connect() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            connection.setClientInfo("ApplicationName", "snowpipe-relay fleet " + stream + "/P" + partition);
            String role = Grants.currentUser(connection);
            List<String> missing = Grants.missingToRelay(connection, tables, role);
            if (!missing.isEmpty()) {
                throw new MissingGrantException(tables.outbox, stream, role, "to relay", missing, null);
            }
            try (Statement set = connection.createStatement()) {
                set.execute("SET idle_in_transaction_session_timeout = " + idleInTransactionTimeout.toMillis());
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
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw failure("opening the partition session", (SQLException) e);
        }
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        if (afterOffset < 0 || maxRows < 1) {
            throw new IllegalArgumentException(description + ": afterOffset is " + afterOffset + ", maxRows is "
                    + maxRows + "; allowed: afterOffset >= 0, maxRows >= 1");
        }
        lock.lock();
        try {
            checkHeldLocally();
            Connection connection = session();
            if (afterOffset > lastStampedOffset) {
                lastStampedOffset = readLastOffset(connection);
                if (afterOffset > lastStampedOffset) {
                    throw new PostgresOutboxException(tables.outbox, stream, description + ": asked for rows after"
                            + " offset " + afterOffset + " but the highest offset ever issued is " + lastStampedOffset
                            + "; the outbox tables were recreated or restored. Restore them, or start over on new"
                            + " channels", null);
                }
            }
            if (afterOffset < lastStampedOffset) {
                List<SourceRecord> stamped = readStamped(connection, afterOffset, maxRows);
                if (!stamped.isEmpty()) {
                    return stamped;
                }
            }
            long stampedBefore = lastStampedOffset;
            Sequencer.Pass pass = sequencer.stamp(connection, maxRows, lastStampedOffset, leaseGuard);
            lastStampedOffset = pass.lastOffset();
            List<SourceRecord> records = pass.records();
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
     * Deletes rows up to {@code upToOffsetInclusive} in chunks; each chunk's transaction first checks the lease
     * (member, epoch, unexpired by the database's clock) and locks its row, so a member that lost the lease deletes
     * nothing.
     *
     * @throws LeaseLostException when the lease is no longer held; chunks committed before stay deleted
     */
    @Override
    public void deleteData(long upToOffsetInclusive) {
        if (upToOffsetInclusive < 0) {
            throw new IllegalArgumentException(description + ": upToOffsetInclusive is " + upToOffsetInclusive
                    + "; allowed: >= 0");
        }
        lock.lock();
        try {
            checkHeldLocally();
            Connection connection = session();
            if (upToOffsetInclusive <= deletedThroughOffset) {
                return;
            }
            long lowest = lowestStamped(connection);
            while (lowest > 0 && lowest <= upToOffsetInclusive) {
                long bound = Math.min(upToOffsetInclusive, lowest + deleteChunkRows - 1);
                deleteChunk(connection, lowest, bound);
                lowest = bound == upToOffsetInclusive ? 0 : lowestStamped(connection);
            }
            deletedThroughOffset = upToOffsetInclusive;
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("deleteData(up to " + upToOffsetInclusive + ")", e);
        } finally {
            lock.unlock();
        }
    }

    private void deleteChunk(Connection connection, long lowest, long bound) throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try {
            checkLeaseInTransaction(connection);
            try (PreparedStatement delete = connection.prepareStatement(tables.deleteRange())) {
                delete.setString(1, stream);
                delete.setInt(2, partition);
                delete.setLong(3, lowest);
                delete.setLong(4, bound);
                delete.executeUpdate();
            }
            connection.commit();
            committed = true;
        } finally {
            try {
                if (!committed) {
                    connection.rollback();
                }
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private void checkLeaseInTransaction(Connection connection) throws SQLException {
        if (!leases.holdsForWrite(connection, hold.member(), hold.lease())) {
            hold.revoke("the lease table shows it expired or taken over");
            throw lost("the lease table shows it expired or taken over");
        }
    }

    private void checkHeldLocally() {
        String why = hold.whyNotHeld(System.nanoTime());
        if (why != null) {
            throw lost(why);
        }
    }

    private LeaseLostException lost(String reason) {
        return new LeaseLostException(tables.outbox, stream, partition, hold.lease().epoch(), hold.member(), reason);
    }

    private long lowestStamped(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(tables.selectLowestStamped())) {
            query.setString(1, stream);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        }
    }

    @Override
    public OptionalLong highestIssuedOffset() {
        lock.lock();
        try {
            Connection connection = session();
            lastStampedOffset = readLastOffset(connection);
            return OptionalLong.of(lastStampedOffset);
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
     * Stores the dead letter (idempotent upsert by stream, partition and offset). Refused once the lease is lost
     * locally; the new owner meets the same record and stores the same entry.
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        Objects.requireNonNull(deadLetter, "deadLetter");
        lock.lock();
        try {
            checkHeldLocally();
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
            log.warn("{} - dead letter stored: offset {}, channel {} (see table {})", description,
                    deadLetter.offset(), deadLetter.channel(), tables.deadLetters);
        } catch (SQLException e) {
            sessionSuspect = true;
            throw failure("storing the dead letter at offset " + deadLetter.offset(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the session. Idempotent; never throws. */
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
                    session.close();
                } catch (SQLException e) {
                    log.debug("{} - closing the session: {}", description, e.toString());
                }
                session = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FleetPartitionSource[" + description + "]";
    }

    private Connection session() throws SQLException {
        if (closed) {
            throw new PostgresOutboxException(tables.outbox, stream, description + ": the source is closed", null);
        }
        if (session != null && sessionSuspect) {
            if (session.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                sessionSuspect = false;
            } else {
                log.warn("{} - the partition session was lost; reconnecting", description);
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // already broken
                }
                session = null;
            }
        }
        if (session == null) {
            connect();
        }
        return session;
    }

    private PostgresOutboxException failure(String operation, SQLException e) {
        return new PostgresOutboxException(tables.outbox, stream, description + ": " + operation + " failed: "
                + e.getMessage() + " (SQLState " + e.getSQLState() + "); the relay retries; if it persists, check"
                + " the server, the network and the role's grants", e);
    }
}
