package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.postgres.internal.OutboxPartition;
import io.snowpiperelay.postgres.internal.OutboxTables;
import io.snowpiperelay.postgres.internal.Sequencer;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
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

    private final String description;
    private final OutboxPartition partition;

    private FleetPartitionSource(DataSource dataSource, OutboxTables tables, LeaseStore leases, LeaseHold hold,
                                 int deleteChunkRows, Duration idleInTransactionTimeout) {
        String stream = hold.lease().stream();
        int partitionNumber = hold.lease().partition();
        this.description = "outbox " + tables.outbox + ", stream " + stream + " partition " + partitionNumber
                + " (member " + hold.member() + ", epoch " + hold.lease().epoch() + ")";
        this.partition = new OutboxPartition(dataSource, tables, stream, partitionNumber, description,
                "snowpipe-relay fleet " + stream + "/P" + partitionNumber, "", deleteChunkRows,
                new LeaseOwnership(tables, leases, hold, idleInTransactionTimeout));
    }

    /** Opens the partition's session (grants checked, counter row registered). */
    static FleetPartitionSource open(DataSource dataSource, OutboxTables tables, LeaseStore leases, LeaseHold hold,
                                     int deleteChunkRows, Duration idleInTransactionTimeout) {
        FleetPartitionSource source = new FleetPartitionSource(dataSource, tables, leases, hold, deleteChunkRows,
                idleInTransactionTimeout);
        long lastStampedOffset = source.partition.open();
        log.info("{} - partition source opened, highest stamped offset {}", source.description, lastStampedOffset);
        return source;
    }

    /**
     * The partition's relay is the member holding its lease: checked locally before every call, and by the database
     * (locking the lease row) first in every stamping and deleting transaction.
     */
    private static final class LeaseOwnership implements OutboxPartition.Ownership {

        private final OutboxTables tables;
        private final LeaseStore leases;
        private final LeaseHold hold;
        private final Duration idleInTransactionTimeout;

        LeaseOwnership(OutboxTables tables, LeaseStore leases, LeaseHold hold, Duration idleInTransactionTimeout) {
            this.tables = tables;
            this.leases = leases;
            this.hold = hold;
            this.idleInTransactionTimeout = idleInTransactionTimeout;
        }

        /** The lease is already held; the session only gets the server-side bound on a frozen member. */
        @Override
        public void acquire(Connection session) throws SQLException {
            try (Statement set = session.createStatement()) {
                set.execute("SET idle_in_transaction_session_timeout = " + idleInTransactionTimeout.toMillis());
            }
        }

        @Override
        public void checkHeldLocally() {
            String why = hold.whyNotHeld(System.nanoTime());
            if (why != null) {
                throw lost(why);
            }
        }

        @Override
        public Sequencer.Guard writeGuard() {
            return this::checkLeaseInTransaction;
        }

        private void checkLeaseInTransaction(Connection session) throws SQLException {
            if (!leases.holdsForWrite(session, hold.member(), hold.lease())) {
                hold.revoke("the lease table shows it expired or taken over");
                throw lost("the lease table shows it expired or taken over");
            }
        }

        /** Nothing to give back: the lease is the fleet's, released or left to expire by {@link RelayFleet}. */
        @Override
        public void release(Connection session) {
        }

        private LeaseLostException lost(String reason) {
            return new LeaseLostException(tables.outbox, hold.lease().stream(), hold.lease().partition(),
                    hold.lease().epoch(), hold.member(), reason);
        }
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        return partition.getData(afterOffset, maxRows);
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
        partition.deleteData(upToOffsetInclusive);
    }

    @Override
    public OptionalLong highestIssuedOffset() {
        return OptionalLong.of(partition.highestIssuedOffset());
    }

    /**
     * Stores the dead letter (idempotent upsert by stream, partition and offset). Refused once the lease is lost
     * locally; the new owner meets the same record and stores the same entry.
     */
    @Override
    public void handle(DeadLetter deadLetter) {
        partition.handle(deadLetter);
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the session. Idempotent; never throws. */
    @Override
    public void close() {
        partition.close();
    }

    @Override
    public String toString() {
        return "FleetPartitionSource[" + description + "]";
    }
}
