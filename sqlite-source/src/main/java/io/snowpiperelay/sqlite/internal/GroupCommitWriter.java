package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.spi.JsonPayloads;
import io.snowpiperelay.sqlite.OutboxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producers' side of the outbox: one write connection shared by every producer thread, with prepared
 * statements reused per stream, and single-row appends that arrive together committed together (group
 * commit). SQLite admits one writer at a time anyway, and one connection avoids the busy-wait sleeps that
 * competing connections pay.
 *
 * <p>Thread-safe: {@link #writeLock} guards the connection, its statements and {@link #appendTransactions}.
 * Streams are passed in canonical form (see {@link StreamCatalogue}).
 */
public final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** The most single-row appends one group commit takes: bounds how long it holds the write lock. */
    private static final int MAX_GROUP_COMMIT_ROWS = 1_000;

    private final OutboxContext context;

    /** Guards {@link #connection}, {@link #control}, {@link #lastInsertRowid} and {@link #statementsByKey}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection connection;
    private final Statement control;
    private final PreparedStatement lastInsertRowid;
    private final Map<String, StreamStatements> statementsByKey = new HashMap<>();
    /** Transactions that appended rows (group commits and appendAll calls); guarded by {@link #writeLock}. */
    private long appendTransactions;
    /** Single-row appends waiting for the next group commit; drained under {@link #writeLock}. */
    private final Queue<PendingAppend> pendingAppends = new ConcurrentLinkedQueue<>();

    public GroupCommitWriter(OutboxContext context, Connection connection) throws SQLException {
        this.context = context;
        this.connection = connection;
        this.control = connection.createStatement();
        this.lastInsertRowid = connection.prepareStatement(OutboxSql.LAST_INSERT_ROWID);
    }

    /**
     * Appends one row to {@code canonical} and returns its offset once it is committed, possibly in one
     * transaction with rows other threads appended at the same time.
     *
     * @throws OutboxException if the write fails (the row is then not stored) or the outbox is closed
     */
    public long append(String canonical, String jsonPayload) {
        // Checked here, on the producer's thread and outside the write lock, so the relay need not scan it again.
        PendingAppend pending = new PendingAppend(canonical, jsonPayload, isPlainObject(jsonPayload));
        pendingAppends.add(pending);
        writeLock.lock();
        try {
            // Bounded: the queue is FIFO and every pass commits at least one row ahead of ours.
            while (!pending.done) {
                commitPendingAppends();
            }
        } finally {
            writeLock.unlock();
        }
        if (pending.failure != null) {
            // A fresh exception, so the stack trace is this caller's; the cause shows the committing thread.
            throw new OutboxException(context.file(), canonical, pending.failure.getMessage(), pending.failure);
        }
        return pending.offset;
    }

    /**
     * Commits up to {@link #MAX_GROUP_COMMIT_ROWS} queued appends in one transaction and marks them done
     * (with their offset, or with the failure, in which case none of them is stored). Guarded by
     * {@link #writeLock}.
     */
    private void commitPendingAppends() {
        List<PendingAppend> group = new ArrayList<>();
        PendingAppend next;
        while (group.size() < MAX_GROUP_COMMIT_ROWS && (next = pendingAppends.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        try {
            context.ensureOpen(group.get(0).stream);
            // One row: auto-commit is one statement less than BEGIN ... COMMIT.
            boolean explicitTransaction = group.size() > 1;
            boolean committed = false;
            if (explicitTransaction) {
                control.execute("BEGIN IMMEDIATE");
            }
            try {
                long createdAtMs = System.currentTimeMillis();
                for (PendingAppend row : group) {
                    row.offset = statementsFor(row.stream).insertReturningOffset(row.payload, createdAtMs, row.checked);
                }
                if (explicitTransaction) {
                    control.execute("COMMIT");
                }
                committed = true;
                appendTransactions++;
            } finally {
                if (!committed && explicitTransaction) {
                    rollbackQuietly();
                }
            }
        } catch (SQLException | OutboxException e) {
            String operation = group.size() == 1 ? "append" : "append (group commit of " + group.size() + " rows)";
            for (PendingAppend row : group) {
                row.offset = 0;
                row.failure = e instanceof OutboxException ? (OutboxException) e
                        : context.failure(row.stream, operation, (SQLException) e);
            }
        } finally {
            for (PendingAppend row : group) {
                row.done = true;
            }
        }
    }

    /**
     * Appends rows to {@code canonical} in one transaction: all are stored or none.
     *
     * @return the offsets, in the order of {@code jsonPayloads} (ascending); empty for an empty list
     * @throws IllegalArgumentException if a payload is null (nothing stored)
     * @throws OutboxException          if the write fails (nothing stored) or the outbox is closed
     */
    public long[] appendAll(String canonical, List<String> jsonPayloads) {
        int rowCount = jsonPayloads.size();
        if (rowCount == 0) {
            return new long[0];
        }
        // Checked before anything is bound or begun, so a bad list costs nothing and leaves no state; the JSON
        // check runs on the caller's thread before the write lock is taken.
        boolean[] checked = new boolean[rowCount];
        for (int i = 0; i < rowCount; i++) {
            String payload = jsonPayloads.get(i);
            if (payload == null) {
                throw new IllegalArgumentException("stream " + canonical + ": payload at index " + i
                        + " of " + rowCount + " is null; nothing was appended");
            }
            checked[i] = isPlainObject(payload);
        }
        writeLock.lock();
        try {
            context.ensureOpen(canonical);
            StreamStatements statements = statementsFor(canonical);
            long createdAtMs = System.currentTimeMillis();
            boolean committed = false;
            // IMMEDIATE takes the write lock now, so busy_timeout applies instead of a failed lock upgrade.
            control.execute("BEGIN IMMEDIATE");
            try {
                long highWaterMark = OutboxReader.singleLong(statements.highWaterMark);
                for (int i = 0; i < rowCount; i++) {
                    statements.insert.setString(1, jsonPayloads.get(i));
                    statements.insert.setLong(2, createdAtMs);
                    statements.insert.setInt(3, checked[i] ? 1 : 0);
                    statements.insert.addBatch();
                }
                statements.insert.executeBatch();
                long lastOffset = OutboxReader.singleLong(lastInsertRowid);
                long[] offsets = new long[rowCount];
                if (lastOffset - highWaterMark == rowCount) {
                    // n rows, each above the previous, all above the mark, the last at mark + n: contiguous.
                    for (int i = 0; i < rowCount; i++) {
                        offsets[i] = highWaterMark + 1 + i;
                    }
                } else {
                    readOffsetsAbove(statements, highWaterMark, offsets, canonical);
                }
                control.execute("COMMIT");
                committed = true;
                appendTransactions++;
                return offsets;
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
                statements.insert.clearBatch();
            }
        } catch (SQLException e) {
            throw context.failure(canonical, "appendAll of " + rowCount + " rows", e);
        } finally {
            writeLock.unlock();
        }
    }

    private static void readOffsetsAbove(StreamStatements statements, long highWaterMark, long[] offsets,
                                         String canonical) throws SQLException {
        // Inside our write transaction nobody else inserts, so the rows above the mark are exactly ours.
        statements.offsetsAbove.setLong(1, highWaterMark);
        statements.offsetsAbove.setInt(2, offsets.length);
        int found = 0;
        try (ResultSet rows = statements.offsetsAbove.executeQuery()) {
            while (rows.next()) {
                offsets[found++] = rows.getLong(1);
            }
        }
        if (found != offsets.length) {
            throw new SQLException("stream " + canonical + ": inserted " + offsets.length
                    + " rows but found " + found + " above offset " + highWaterMark);
        }
    }

    /**
     * Runs {@code work} on the write connection, between appends (for DDL such as creating a stream's table).
     *
     * @throws OutboxException if the outbox is closed or {@code work} fails
     */
    public <T> T write(String stream, String operation, SqlWork<T> work) {
        writeLock.lock();
        try {
            context.ensureOpen(stream);
            return work.run(connection);
        } catch (SQLException e) {
            throw context.failure(stream, operation, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whether the relay may send {@code payload} without scanning it again ({@link JsonPayloads#isPlainObject}).
     * The payload is stored as text whatever the answer; one that fails is checked (and parsed or dead-lettered) by
     * the relay as before.
     */
    private static boolean isPlainObject(String payload) {
        return JsonPayloads.isPlainObject(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Transactions that committed appended rows so far (for tests of the group commit). */
    public long appendTransactionCount() {
        writeLock.lock();
        try {
            return appendTransactions;
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the statements and the connection once an append in progress has finished. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            for (StreamStatements statements : statementsByKey.values()) {
                statements.close();
            }
            statementsByKey.clear();
            OutboxContext.closeQuietly(control, null);
            OutboxContext.closeQuietly(lastInsertRowid, null);
            OutboxContext.closeQuietly(connection, null);
        } finally {
            writeLock.unlock();
        }
    }

    /** Guarded by {@link #writeLock}. */
    private StreamStatements statementsFor(String canonical) throws SQLException {
        String key = StreamNames.key(canonical);
        StreamStatements statements = statementsByKey.get(key);
        if (statements == null) {
            statements = new StreamStatements(connection, canonical);
            statementsByKey.put(key, statements);
        }
        return statements;
    }

    /** Guarded by {@link #writeLock}. */
    private void rollbackQuietly() {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // Fails only if SQLite already rolled back itself (e.g. after an I/O error): nothing left to undo.
            log.debug("outbox {} - rollback: {}", context.file(), e.toString());
        }
    }

    /** A single-row append waiting for a group commit. Fields after construction guarded by {@link #writeLock}. */
    private static final class PendingAppend {
        final String stream;
        final String payload;
        final boolean checked;
        long offset;
        OutboxException failure;
        boolean done;

        PendingAppend(String stream, String payload, boolean checked) {
            this.stream = stream;
            this.payload = payload;
            this.checked = checked;
        }
    }

    /** The prepared statements of one stream on the write connection. Guarded by {@link #writeLock}. */
    private static final class StreamStatements {
        final PreparedStatement insert;
        final PreparedStatement insertReturning;
        final PreparedStatement highWaterMark;
        final PreparedStatement offsetsAbove;

        StreamStatements(Connection writer, String canonical) throws SQLException {
            this.insert = writer.prepareStatement(OutboxSql.insert(canonical));
            this.insertReturning = writer.prepareStatement(OutboxSql.insertReturningOffset(canonical));
            this.highWaterMark = writer.prepareStatement(OutboxSql.highWaterMark(canonical));
            this.offsetsAbove = writer.prepareStatement(OutboxSql.offsetsAbove(canonical));
        }

        /**
         * Inserts one row and returns its offset in one statement, saving the round trip of a separate
         * {@code last_insert_rowid()} query. Steps the statement to its end, so that in auto-commit mode
         * the commit happens, and any commit error surfaces, before this returns.
         */
        long insertReturningOffset(String payload, long createdAtMs, boolean checked) throws SQLException {
            insertReturning.setString(1, payload);
            insertReturning.setLong(2, createdAtMs);
            insertReturning.setInt(3, checked ? 1 : 0);
            try (ResultSet rows = insertReturning.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("INSERT ... RETURNING returned no offset");
                }
                long offset = rows.getLong(1);
                if (rows.next()) {
                    throw new SQLException("INSERT ... RETURNING returned more than one offset");
                }
                return offset;
            }
        }

        void close() {
            OutboxContext.closeQuietly(insert, null);
            OutboxContext.closeQuietly(insertReturning, null);
            OutboxContext.closeQuietly(highWaterMark, null);
            OutboxContext.closeQuietly(offsetsAbove, null);
        }
    }
}
