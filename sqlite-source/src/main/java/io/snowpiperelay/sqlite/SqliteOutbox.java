package io.snowpiperelay.sqlite;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.sqlite.internal.OutboxSql;
import io.snowpiperelay.sqlite.internal.SqliteConnections;
import io.snowpiperelay.sqlite.internal.StreamNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A local, durable, offset-addressed outbox in one SQLite file: producers {@link #append} JSON rows to named
 * streams, and one relay per stream drains it through {@link #openSource(String)} into Snowflake.
 *
 * <h2>Schema</h2>
 * Each stream {@code S} is a table {@code outbox_S("offset" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT,
 * created_at_ms INTEGER)}, created on first use. AUTOINCREMENT means an offset is never issued twice, even
 * after the rows holding the highest offsets are deleted or the file is reopened. Dead letters of all
 * streams share table {@code dead_letter}. See {@code docs/sqlite-outbox.md}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #append} and {@link #appendAll} return only after their transaction committed; a batch is
 *       all or nothing.</li>
 *   <li>Offsets are strictly increasing in commit order, across threads and processes: SQLite lets one
 *       transaction write at a time and assigns the offset inside it. So a reader that has seen offset
 *       {@code n} never later sees a new row below {@code n}, which the relay's resume rule relies on.</li>
 *   <li>Durability is {@link OutboxConfig#synchronousMode()}: with the default WAL + {@code NORMAL} a
 *       committed row survives a crash or {@code kill -9} of any process; it survives power loss or a
 *       kernel crash only with {@link SynchronousMode#FULL}. After such a loss under {@code NORMAL} the last
 *       commits may be rolled back and their offsets issued again to new rows, which a relay that had
 *       already shipped the old ones would skip. Use {@code FULL} when the host can lose power.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Thread-safe. Producers share one write connection, guarded by a lock, with prepared statements reused
 * per stream: SQLite admits one writer at a time anyway, and one connection avoids the busy-wait sleeps
 * that competing connections pay. Inspection methods use a second connection and never block producers
 * (WAL lets readers and the writer work at once). Other processes may write to the same file at the same
 * time; {@link OutboxConfig#busyTimeout()} bounds how long one waits for another.
 *
 * <h2>Lifecycle</h2>
 * {@link #close()} closes the connections and every source opened here (releasing their relay locks). It is
 * idempotent; afterwards every method throws {@link OutboxException}.
 */
public final class SqliteOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteOutbox.class);

    /** The most single-row appends one group commit takes: bounds how long it holds the write lock. */
    private static final int MAX_GROUP_COMMIT_ROWS = 1_000;

    private final Path file;
    private final OutboxConfig config;

    /** Guards {@link #writer}, {@link #control}, {@link #lastInsertRowid} and {@link #writersByKey}. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Statement control;
    private final PreparedStatement lastInsertRowid;
    private final Map<String, StreamWriter> writersByKey = new HashMap<>();
    /** Transactions that appended rows (group commits and appendAll calls); guarded by {@link #writeLock}. */
    private long appendTransactions;
    /** Single-row appends waiting for the next group commit; drained under {@link #writeLock}. */
    private final Queue<PendingAppend> pendingAppends = new ConcurrentLinkedQueue<>();

    /** Guards {@link #reader}. */
    private final ReentrantLock readLock = new ReentrantLock();
    private final Connection reader;

    /** Stream key (lower case) to the name as stored in the file, for streams known to exist. */
    private final Map<String, String> canonicalByKey = new ConcurrentHashMap<>();
    private final Set<SqliteOffsetSource> openSources = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SqliteOutbox(Path file, OutboxConfig config, Connection writer, Connection reader) throws SQLException {
        this.file = file;
        this.config = config;
        this.writer = writer;
        this.reader = reader;
        this.control = writer.createStatement();
        this.lastInsertRowid = writer.prepareStatement(OutboxSql.LAST_INSERT_ROWID);
    }

    /**
     * Opens (and by default creates) the outbox at {@code file} with {@link OutboxConfig#defaults()}.
     *
     * @throws OutboxException if the file cannot be opened or is not an SQLite database
     */
    public static SqliteOutbox open(Path file) {
        return open(file, OutboxConfig.defaults());
    }

    /**
     * Opens the outbox at {@code file}: creates it (and its parent directories) if missing and
     * {@link OutboxConfig#createIfMissing()} allows, switches it to WAL, and creates the dead-letter table.
     *
     * @throws OutboxException if the file is missing and may not be created, cannot be opened, or is not an
     *                         SQLite database
     */
    public static SqliteOutbox open(Path file, OutboxConfig config) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            if (!config.createIfMissing()) {
                throw new OutboxException(absolute, null, "outbox " + absolute
                        + " does not exist and createIfMissing is false; check the path", null);
            }
            try {
                Files.createDirectories(absolute.getParent());
            } catch (IOException e) {
                throw new OutboxException(absolute, null, "outbox " + absolute
                        + ": cannot create its directory: " + e, e);
            }
        }
        Connection writer = null;
        Connection reader = null;
        try {
            writer = SqliteConnections.open(absolute, config);
            // The real path, so every spelling of the path (symlinks, "..") meets at one relay lock.
            Path real = absolute.toRealPath();
            try (Statement ddl = writer.createStatement()) {
                ddl.executeUpdate(OutboxSql.CREATE_DEAD_LETTER_TABLE);
            }
            reader = SqliteConnections.open(real, config);
            SqliteOutbox outbox = new SqliteOutbox(real, config, writer, reader);
            log.info("outbox {} - opened ({})", real, config);
            return outbox;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(reader, e);
            closeQuietly(writer, e);
            if (e instanceof OutboxException) {
                throw (OutboxException) e;
            }
            throw new OutboxException(absolute, null, "outbox " + absolute + ": cannot open: " + e.getMessage()
                    + "; check that the path is an SQLite file that this process can read and write", e);
        }
    }

    /** The outbox file (absolute, symbolic links resolved). */
    public Path file() {
        return file;
    }

    /** The configuration this outbox was opened with. */
    public OutboxConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------ producers

    /**
     * Appends one row to {@code stream} (created on first use) and returns once it is committed.
     *
     * <p>Appends that threads make at the same time are committed together in one transaction (group
     * commit): while one thread commits, the others queue, and the next to get the write connection commits
     * every queued row at once. Each caller still returns only after its own row is committed, and gets an
     * exception if it was not. A lone caller commits its row by itself.
     *
     * @param stream      the stream name, {@code [A-Za-z][A-Za-z0-9_]{0,63}}, case-insensitive
     * @param jsonPayload the row as JSON text (a JSON object); not validated here: the relay dead-letters
     *                    payloads it cannot parse
     * @return the row's offset, greater than every offset issued before in this stream
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws NullPointerException     if {@code jsonPayload} is null
     * @throws OutboxException          if the write fails (the row is then not stored) or the outbox is closed
     */
    public long append(String stream, String jsonPayload) {
        Objects.requireNonNull(jsonPayload, "jsonPayload");
        String canonical = resolveStream(stream, true);
        PendingAppend pending = new PendingAppend(canonical, jsonPayload);
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
            throw new OutboxException(file, canonical, pending.failure.getMessage(), pending.failure);
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
            ensureOpen(group.get(0).stream);
            // One row: auto-commit is one statement less than BEGIN ... COMMIT.
            boolean explicitTransaction = group.size() > 1;
            boolean committed = false;
            if (explicitTransaction) {
                control.execute("BEGIN IMMEDIATE");
            }
            try {
                long createdAtMs = System.currentTimeMillis();
                for (PendingAppend row : group) {
                    row.offset = writerFor(row.stream).insertReturningOffset(row.payload, createdAtMs);
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
                        : failure(row.stream, operation, (SQLException) e);
            }
        } finally {
            for (PendingAppend row : group) {
                row.done = true;
            }
        }
    }

    /**
     * Appends rows to {@code stream} in one transaction: all are stored or none.
     *
     * @param stream       the stream name, {@code [A-Za-z][A-Za-z0-9_]{0,63}}, case-insensitive
     * @param jsonPayloads the rows as JSON text, in order; none may be null
     * @return the offsets, in the order of {@code jsonPayloads} (ascending); empty for an empty list
     * @throws IllegalArgumentException if the stream name is invalid or a payload is null (nothing stored)
     * @throws OutboxException          if the write fails (nothing stored) or the outbox is closed
     */
    public long[] appendAll(String stream, List<String> jsonPayloads) {
        Objects.requireNonNull(jsonPayloads, "jsonPayloads");
        String canonical = resolveStream(stream, true);
        int rowCount = jsonPayloads.size();
        if (rowCount == 0) {
            return new long[0];
        }
        writeLock.lock();
        try {
            ensureOpen(canonical);
            StreamWriter streamWriter = writerFor(canonical);
            // Checked before anything is bound or begun, so a bad list costs nothing and leaves no state.
            for (int i = 0; i < rowCount; i++) {
                if (jsonPayloads.get(i) == null) {
                    throw new IllegalArgumentException("stream " + canonical + ": payload at index " + i
                            + " of " + rowCount + " is null; nothing was appended");
                }
            }
            long createdAtMs = System.currentTimeMillis();
            boolean committed = false;
            // IMMEDIATE takes the write lock now, so busy_timeout applies instead of a failed lock upgrade.
            control.execute("BEGIN IMMEDIATE");
            try {
                long highWaterMark = singleLong(streamWriter.highWaterMark);
                for (String payload : jsonPayloads) {
                    streamWriter.insert.setString(1, payload);
                    streamWriter.insert.setLong(2, createdAtMs);
                    streamWriter.insert.addBatch();
                }
                streamWriter.insert.executeBatch();
                long lastOffset = lastInsertRowid();
                long[] offsets = new long[rowCount];
                if (lastOffset - highWaterMark == rowCount) {
                    // n rows, each above the previous, all above the mark, the last at mark + n: contiguous.
                    for (int i = 0; i < rowCount; i++) {
                        offsets[i] = highWaterMark + 1 + i;
                    }
                } else {
                    readOffsetsAbove(streamWriter, highWaterMark, offsets, canonical);
                }
                control.execute("COMMIT");
                committed = true;
                appendTransactions++;
                return offsets;
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
                streamWriter.insert.clearBatch();
            }
        } catch (SQLException e) {
            throw failure(canonical, "appendAll of " + rowCount + " rows", e);
        } finally {
            writeLock.unlock();
        }
    }

    private void readOffsetsAbove(StreamWriter streamWriter, long highWaterMark, long[] offsets, String canonical)
            throws SQLException {
        // Inside our write transaction nobody else inserts, so the rows above the mark are exactly ours.
        streamWriter.offsetsAbove.setLong(1, highWaterMark);
        streamWriter.offsetsAbove.setInt(2, offsets.length);
        int found = 0;
        try (ResultSet rows = streamWriter.offsetsAbove.executeQuery()) {
            while (rows.next()) {
                offsets[found++] = rows.getLong(1);
            }
        }
        if (found != offsets.length) {
            throw new SQLException("stream " + canonical + ": inserted " + offsets.length
                    + " rows but found " + found + " above offset " + highWaterMark);
        }
    }

    // --------------------------------------------------------------------------------------------- relay

    /**
     * Opens the relay side of {@code stream} (created if missing): an {@link io.snowpiperelay.spi.OffsetSource}
     * and dead-letter handler with its own connection, holding the stream's relay lock until closed.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxLockedException    if another relay, in this or another process, already has the stream
     * @throws OutboxException          if the source cannot be opened or the outbox is closed
     */
    public SqliteOffsetSource openSource(String stream) {
        String canonical = resolveStream(stream, true);
        ensureOpen(canonical);
        SqliteOffsetSource source = SqliteOffsetSource.open(file, canonical, config, openSources::remove);
        openSources.add(source);
        if (closed) {
            // close() ran between ensureOpen and add and may have missed this source.
            source.close();
            throw closedException(canonical);
        }
        return source;
    }

    // ------------------------------------------------------------------------------------------ inspection

    /**
     * The number of rows in {@code stream} not yet deleted by its relay; 0 for a stream that does not exist.
     * A full count: cost grows with the backlog.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public long pendingCount(String stream) {
        String canonical = resolveStream(stream, false);
        if (canonical == null) {
            return 0;
        }
        return readLong(canonical, "pendingCount", OutboxSql.countRows(canonical), null);
    }

    /**
     * The streams in this file, sorted by name, as they were first spelled.
     *
     * @throws OutboxException on a read failure or if the outbox is closed
     */
    public List<String> streams() {
        readLock.lock();
        try {
            ensureOpen(null);
            List<String> streams = new ArrayList<>();
            try (Statement query = reader.createStatement();
                 ResultSet rows = query.executeQuery(OutboxSql.LIST_STREAM_TABLES)) {
                while (rows.next()) {
                    String stream = rows.getString(1).substring(StreamNames.TABLE_PREFIX.length());
                    if (StreamNames.VALID.matcher(stream).matches()) {
                        streams.add(stream);
                    }
                }
            }
            return streams;
        } catch (SQLException e) {
            throw failure(null, "streams", e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The dead letters recorded for {@code stream}, in offset order; empty for a stream that does not exist.
     * The payloads may hold personal data: handle the list accordingly.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public List<DeadLetter> deadLetters(String stream) {
        String canonical = resolveStream(stream, false);
        if (canonical == null) {
            return List.of();
        }
        readLock.lock();
        try {
            ensureOpen(canonical);
            List<DeadLetter> deadLetters = new ArrayList<>();
            try (PreparedStatement query = reader.prepareStatement(OutboxSql.SELECT_DEAD_LETTERS)) {
                query.setString(1, canonical);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        deadLetters.add(new DeadLetter(rows.getString(1), rows.getLong(2), rows.getString(3),
                                rows.getString(4), Instant.parse(rows.getString(5))));
                    }
                }
            }
            return deadLetters;
        } catch (SQLException e) {
            throw failure(canonical, "deadLetters", e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The number of dead letters recorded for {@code stream}; 0 for a stream that does not exist.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public long deadLetterCount(String stream) {
        String canonical = resolveStream(stream, false);
        if (canonical == null) {
            return 0;
        }
        return readLong(canonical, "deadLetterCount", OutboxSql.COUNT_DEAD_LETTERS, canonical);
    }

    /**
     * The highest offset ever issued in {@code stream}, including deleted rows (from {@code sqlite_sequence});
     * 0 if the stream exists but never had a row; empty if the stream does not exist.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public OptionalLong highestIssuedOffset(String stream) {
        String canonical = resolveStream(stream, false);
        if (canonical == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(readLong(canonical, "highestIssuedOffset", OutboxSql.SELECT_SEQUENCE,
                StreamNames.table(canonical)));
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes every source opened from this outbox (releasing their relay locks) and the connections. Waits
     * for an append in progress to finish. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SqliteOffsetSource source : List.copyOf(openSources)) {
            source.close();
        }
        writeLock.lock();
        try {
            for (StreamWriter streamWriter : writersByKey.values()) {
                streamWriter.close();
            }
            writersByKey.clear();
            closeQuietly(control, null);
            closeQuietly(lastInsertRowid, null);
            closeQuietly(writer, null);
        } finally {
            writeLock.unlock();
        }
        readLock.lock();
        try {
            closeQuietly(reader, null);
        } finally {
            readLock.unlock();
        }
        log.info("outbox {} - closed", file);
    }

    @Override
    public String toString() {
        return "SqliteOutbox[" + file + "]";
    }

    /** Transactions that committed appended rows so far (for tests of the group commit). */
    long appendTransactionCount() {
        writeLock.lock();
        try {
            return appendTransactions;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * The stream's name as stored in the file (its first spelling), creating the table if {@code create};
     * {@code null} if it does not exist and {@code create} is false.
     */
    private String resolveStream(String stream, boolean create) {
        String key = StreamNames.key(StreamNames.validate(stream));
        String canonical = canonicalByKey.get(key);
        if (canonical != null) {
            return canonical;
        }
        ReentrantLock lock = create ? writeLock : readLock;
        lock.lock();
        try {
            ensureOpen(stream);
            Connection connection = create ? writer : reader;
            if (create) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.executeUpdate(OutboxSql.createStreamTable(stream));
                }
            }
            // Another process may have created it first, with another spelling: that one wins.
            try (PreparedStatement find = connection.prepareStatement(OutboxSql.FIND_STREAM_TABLE)) {
                find.setString(1, StreamNames.key(StreamNames.table(stream)));
                try (ResultSet rows = find.executeQuery()) {
                    if (!rows.next()) {
                        return null;
                    }
                    canonical = rows.getString(1).substring(StreamNames.TABLE_PREFIX.length());
                }
            }
            canonicalByKey.put(key, canonical);
            if (create) {
                log.info("outbox {} - stream {} ready", file, canonical);
            }
            return canonical;
        } catch (SQLException e) {
            throw failure(stream, create ? "creating the stream table" : "looking up the stream", e);
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by {@link #writeLock}. */
    private StreamWriter writerFor(String canonical) throws SQLException {
        String key = StreamNames.key(canonical);
        StreamWriter streamWriter = writersByKey.get(key);
        if (streamWriter == null) {
            streamWriter = new StreamWriter(writer, canonical);
            writersByKey.put(key, streamWriter);
        }
        return streamWriter;
    }

    /** Guarded by {@link #writeLock}. */
    private long lastInsertRowid() throws SQLException {
        return singleLong(lastInsertRowid);
    }

    private static long singleLong(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0L;
        }
    }

    private long readLong(String canonical, String operation, String sql, String parameter) {
        readLock.lock();
        try {
            ensureOpen(canonical);
            try (PreparedStatement query = reader.prepareStatement(sql)) {
                if (parameter != null) {
                    query.setString(1, parameter);
                }
                return singleLong(query);
            }
        } catch (SQLException e) {
            throw failure(canonical, operation, e);
        } finally {
            readLock.unlock();
        }
    }

    /** Guarded by {@link #writeLock}. */
    private void rollbackQuietly() {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // Fails only if SQLite already rolled back itself (e.g. after an I/O error): nothing left to undo.
            log.debug("outbox {} - rollback: {}", file, e.toString());
        }
    }

    private void ensureOpen(String stream) {
        if (closed) {
            throw closedException(stream);
        }
    }

    private OutboxException closedException(String stream) {
        return new OutboxException(file, stream, "outbox " + file + (stream == null ? "" : " stream " + stream)
                + ": the outbox is closed; open it again with SqliteOutbox.open", null);
    }

    private OutboxException failure(String stream, String operation, SQLException e) {
        if (closed) {
            return closedException(stream);
        }
        return new OutboxException(file, stream, "outbox " + file + (stream == null ? "" : " stream " + stream)
                + ": " + operation + " failed: " + e.getMessage()
                + "; check that the file is readable and writable, the disk is not full, and no other process"
                + " holds a write transaction longer than busyTimeout " + config.busyTimeout(), e);
    }

    private static void closeQuietly(AutoCloseable closeable, Exception primary) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                log.warn("closing {} failed: {}", closeable, e.toString());
            }
        }
    }

    /** A single-row append waiting for a group commit. Fields after construction guarded by {@link #writeLock}. */
    private static final class PendingAppend {
        final String stream;
        final String payload;
        long offset;
        OutboxException failure;
        boolean done;

        PendingAppend(String stream, String payload) {
            this.stream = stream;
            this.payload = payload;
        }
    }

    /** The prepared statements of one stream on the write connection. Guarded by {@link #writeLock}. */
    private static final class StreamWriter {
        final PreparedStatement insert;
        final PreparedStatement insertReturning;
        final PreparedStatement highWaterMark;
        final PreparedStatement offsetsAbove;

        StreamWriter(Connection writer, String canonical) throws SQLException {
            this.insert = writer.prepareStatement(OutboxSql.insert(canonical));
            this.insertReturning = writer.prepareStatement(OutboxSql.insertReturningOffset(canonical));
            this.highWaterMark = writer.prepareStatement(OutboxSql.highWaterMark(canonical));
            this.offsetsAbove = writer.prepareStatement(OutboxSql.offsetsAbove(canonical));
        }

        /**
         * Inserts one row and returns its offset in one statement (measured twice as fast as a separate
         * {@code last_insert_rowid()} query). Steps the statement to its end, so that in auto-commit mode
         * the commit happens, and any commit error surfaces, before this returns.
         */
        long insertReturningOffset(String payload, long createdAtMs) throws SQLException {
            insertReturning.setString(1, payload);
            insertReturning.setLong(2, createdAtMs);
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
            closeQuietly(insert, null);
            closeQuietly(insertReturning, null);
            closeQuietly(highWaterMark, null);
            closeQuietly(offsetsAbove, null);
        }
    }
}
