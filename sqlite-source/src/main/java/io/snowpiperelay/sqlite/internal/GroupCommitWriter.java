package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.spi.JsonPayloads;
import io.snowpiperelay.sqlite.OutboxConfig;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producers' side of the outbox: one write connection shared by every producer thread, with prepared
 * statements reused per stream, and single-row appends that arrive together committed together (group
 * commit). Runs of checked payloads share table rows ({@link PackedRows}), up to the configured pack size. SQLite admits one writer at a time anyway, and one connection avoids the busy-wait sleeps that
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

    /** Guards {@link #connection}, {@link #control} and {@link #statementsByKey}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection connection;
    private final Statement control;
    private final Map<String, StreamStatements> statementsByKey = new HashMap<>();
    /** Transactions that appended rows (group commits and appendAll calls); guarded by {@link #writeLock}. */
    private long appendTransactions;
    /** Single-row appends waiting for the next group commit; drained under {@link #writeLock}. */
    private final Queue<PendingAppend> pendingAppends = new ConcurrentLinkedQueue<>();

    public GroupCommitWriter(OutboxContext context, Connection connection) throws SQLException {
        this.context = context;
        this.connection = connection;
        this.control = connection.createStatement();
    }

    /**
     * Appends one row to {@code canonical} and returns its offset once it is committed, possibly in one
     * transaction with rows other threads appended at the same time.
     *
     * @throws OutboxException if the write fails (the row is then not stored) or the outbox is closed
     */
    public long append(String canonical, String jsonPayload) {
        // Checked here, on the producer's thread and outside the write lock, so the relay need not scan it again.
        byte[] utf8 = jsonPayload.getBytes(StandardCharsets.UTF_8);
        PendingAppend pending = new PendingAppend(canonical, jsonPayload, JsonPayloads.isPlainObject(utf8),
                utf8.length);
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
                if (explicitTransaction) {
                    insertGroup(group, createdAtMs);
                } else {
                    PendingAppend row = group.get(0);
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
     * Inserts a group of single-row appends inside the open write transaction, stream by stream, each stream's rows
     * packed as {@link #appendAll} packs them, and sets every row's offset. Guarded by {@link #writeLock}.
     */
    private void insertGroup(List<PendingAppend> group, long createdAtMs) throws SQLException {
        Map<String, List<PendingAppend>> byStream = new LinkedHashMap<>();
        for (PendingAppend row : group) {
            byStream.computeIfAbsent(StreamNames.key(row.stream), key -> new ArrayList<>()).add(row);
        }
        for (List<PendingAppend> rows : byStream.values()) {
            int n = rows.size();
            List<String> payloads = new ArrayList<>(n);
            boolean[] checked = new boolean[n];
            int[] utf8Lengths = new int[n];
            for (int i = 0; i < n; i++) {
                PendingAppend row = rows.get(i);
                payloads.add(row.payload);
                checked[i] = row.checked;
                utf8Lengths[i] = row.utf8Length;
            }
            long[] offsets = statementsFor(rows.get(0).stream).insertRows(payloads, checked, utf8Lengths, createdAtMs,
                    context.config());
            for (int i = 0; i < n; i++) {
                rows.get(i).offset = offsets[i];
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
        int[] utf8Lengths = new int[rowCount];
        for (int i = 0; i < rowCount; i++) {
            String payload = jsonPayloads.get(i);
            if (payload == null) {
                throw new IllegalArgumentException("stream " + canonical + ": payload at index " + i
                        + " of " + rowCount + " is null; nothing was appended");
            }
            byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
            checked[i] = JsonPayloads.isPlainObject(utf8);
            utf8Lengths[i] = utf8.length;
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
                long[] offsets = statements.insertRows(jsonPayloads, checked, utf8Lengths, createdAtMs,
                        context.config());
                control.execute("COMMIT");
                committed = true;
                appendTransactions++;
                return offsets;
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
            }
        } catch (SQLException e) {
            throw context.failure(canonical, "appendAll of " + rowCount + " rows", e);
        } finally {
            writeLock.unlock();
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
        final int utf8Length;
        long offset;
        OutboxException failure;
        boolean done;

        PendingAppend(String stream, String payload, boolean checked, int utf8Length) {
            this.stream = stream;
            this.payload = payload;
            this.checked = checked;
            this.utf8Length = utf8Length;
        }
    }

    /** The prepared statements of one stream on the write connection. Guarded by {@link #writeLock}. */
    private static final class StreamStatements {
        final PreparedStatement insertReturning;
        final PreparedStatement insertAt;
        final PreparedStatement highWaterMark;

        StreamStatements(Connection writer, String canonical) throws SQLException {
            this.insertReturning = writer.prepareStatement(OutboxSql.insertReturningOffset(canonical));
            this.insertAt = writer.prepareStatement(OutboxSql.insertAt(canonical));
            this.highWaterMark = writer.prepareStatement(OutboxSql.highWaterMark(canonical));
        }

        /**
         * Inserts {@code payloads} inside the caller's write transaction at the offsets just above the high-water
         * mark, in order, packing runs of packable payloads ({@link PackedRows#packable}) into rows of at most
         * {@link io.snowpiperelay.sqlite.OutboxConfig#packRows()} records and
         * {@link io.snowpiperelay.sqlite.OutboxConfig#packBytes()} bytes.
         *
         * @return the offsets, one per payload, contiguous and ascending
         */
        long[] insertRows(List<String> payloads, boolean[] checked, int[] utf8Lengths, long createdAtMs,
                          OutboxConfig config) throws SQLException {
            int n = payloads.size();
            long[] offsets = new long[n];
            // Inside the write transaction nobody else inserts: the offsets above the mark are ours to give.
            long next = OutboxReader.singleLong(highWaterMark) + 1;
            int packRows = config.packRows();
            StringBuilder pack = new StringBuilder();
            int packed = 0;
            long packBytes = 0;
            try {
                for (int i = 0; i < n; i++) {
                    long offset = next++;
                    offsets[i] = offset;
                    String payload = payloads.get(i);
                    if (packRows == 1 || !PackedRows.packable(payload, checked[i])) {
                        if (packed > 0) {
                            addRow(offset - 1, pack.toString(), true, packed, createdAtMs);
                            pack.setLength(0);
                            packed = 0;
                        }
                        addRow(offset, payload, checked[i], 1, createdAtMs);
                        continue;
                    }
                    if (packed > 0 && (packed == packRows || packBytes + 1 + utf8Lengths[i] > config.packBytes())) {
                        addRow(offset - 1, pack.toString(), true, packed, createdAtMs);
                        pack.setLength(0);
                        packed = 0;
                    }
                    if (packed > 0) {
                        pack.append(PackedRows.SEPARATOR);
                        packBytes += 1 + utf8Lengths[i];
                    } else {
                        packBytes = utf8Lengths[i];
                    }
                    pack.append(payload);
                    packed++;
                }
                if (packed > 0) {
                    addRow(offsets[n - 1], pack.toString(), true, packed, createdAtMs);
                }
                insertAt.executeBatch();
            } finally {
                insertAt.clearBatch();
            }
            return offsets;
        }

        private void addRow(long lastOffset, String payload, boolean checked, int rowCount, long createdAtMs)
                throws SQLException {
            insertAt.setLong(1, lastOffset);
            insertAt.setString(2, payload);
            insertAt.setLong(3, createdAtMs);
            insertAt.setInt(4, checked ? 1 : 0);
            insertAt.setInt(5, rowCount);
            insertAt.addBatch();
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
            OutboxContext.closeQuietly(insertReturning, null);
            OutboxContext.closeQuietly(insertAt, null);
            OutboxContext.closeQuietly(highWaterMark, null);
        }
    }
}
