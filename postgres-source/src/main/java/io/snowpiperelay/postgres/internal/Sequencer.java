package io.snowpiperelay.postgres.internal;

import io.snowpiperelay.spi.SourceRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gives committed outbox rows their relay offsets: the commit-order safety of the PostgreSQL outbox
 * (invariant 8).
 *
 * <p>An identity value is taken when a row is inserted, but transactions commit in another order, so a reader that
 * sends rows by identity can hand out 105 while the transaction holding 104 is still open, and never send 104. The
 * sequencer does not use the identity as the offset. In one short transaction of its own it
 * <ol>
 *   <li>locks the stream's counter row ({@code SELECT ... FOR UPDATE}) and reads the highest offset stamped so far,
 *       {@code last};</li>
 *   <li>stamps the rows that are committed (visible to its snapshot) and not yet stamped, in insert order, with
 *       {@code last + 1, last + 2, ...};</li>
 *   <li>stores the new highest offset in the counter row, and commits.</li>
 * </ol>
 * A row whose transaction is still open is invisible to step 2, so it is not stamped now; when its transaction
 * commits, a later pass stamps it above every offset stamped before. So offsets are dense, strictly increasing, and
 * increasing in the order rows become visible to the relay: nothing is ever stamped below an offset already handed out.
 * A long transaction delays only its own rows, never those of transactions that committed before it; a rolled-back
 * transaction's rows never exist for the sequencer. One relay per stream runs the sequencer (the advisory lock), and the
 * counter row lock makes even a stray second one wait rather than interleave.
 *
 * <p>Not thread-safe: called by the relay source with its lock held.
 */
public final class Sequencer {

    private final OutboxTables tables;
    private final String stream;
    private final int partition;

    public Sequencer(OutboxTables tables, String stream, int partition) {
        this.tables = tables;
        this.stream = stream;
        this.partition = partition;
    }

    /** The result of one pass: the rows stamped, in offset order, and the highest offset stamped so far. */
    public record Pass(List<SourceRecord> records, long lastOffset) {
    }

    /**
     * A check run first inside the stamping transaction (a relay fleet's lease check, which locks the lease row until
     * the stamp commits); it throws to abort the pass.
     */
    @FunctionalInterface
    public interface Guard {
        /** No check: the one-relay-per-stream advisory lock already guards the caller. */
        Guard NONE = session -> { };

        void check(Connection session) throws SQLException;
    }

    /**
     * Stamps up to {@code maxRows} committed rows in one transaction, with {@code guard} checked first in it, and
     * returns them. {@code session} is in auto-commit mode before and after. When no committed row waits, returns at
     * once with {@code lastKnownOffset}: an idle relay polls often, and the stamping transaction writes (its row lock
     * takes a transaction id).
     */
    public Pass stamp(Connection session, int maxRows, long lastKnownOffset, Guard guard) throws SQLException {
        if (!anyWaiting(session)) {
            return new Pass(List.of(), lastKnownOffset);
        }
        return Transactions.inTransaction(session, tx -> stampInTransaction(tx, maxRows, guard));
    }

    private Pass stampInTransaction(Connection session, int maxRows, Guard guard) throws SQLException {
        guard.check(session);
        long last;
        try (PreparedStatement lock = session.prepareStatement(tables.lockCounter())) {
            lock.setString(1, stream);
            lock.setInt(2, partition);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("the counter row of stream " + stream + " partition " + partition
                            + " in " + tables.streams + " is missing; it is created when the relay opens");
                }
                last = rows.getLong(1);
            }
        }
        List<SourceRecord> records = new ArrayList<>();
        try (PreparedStatement stamp = session.prepareStatement(tables.stamp())) {
            stamp.setLong(1, last);
            stamp.setString(2, stream);
            stamp.setInt(3, partition);
            stamp.setInt(4, maxRows);
            try (ResultSet rows = stamp.executeQuery()) {
                while (rows.next()) {
                    records.add(SourceRecord.ofJson(rows.getLong(1), rows.getString(2)));
                }
            }
        }
        // RETURNING gives no order guarantee.
        records.sort(Comparator.comparingLong(SourceRecord::offset));
        long newLast = last + records.size();
        if (!records.isEmpty()) {
            if (records.get(records.size() - 1).offset() != newLast) {
                throw new SQLException("stamped " + records.size() + " rows after offset " + last
                        + " but the highest is " + records.get(records.size() - 1).offset());
            }
            try (PreparedStatement advance = session.prepareStatement(tables.advanceCounter())) {
                advance.setLong(1, newLast);
                advance.setString(2, stream);
                advance.setInt(3, partition);
                advance.executeUpdate();
            }
        }
        return new Pass(records, newLast);
    }

    private boolean anyWaiting(Connection session) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(tables.anyUnstamped())) {
            query.setString(1, stream);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
