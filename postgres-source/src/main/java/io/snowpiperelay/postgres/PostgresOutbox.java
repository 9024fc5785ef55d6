package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.Grants;
import io.snowpiperelay.postgres.internal.OutboxSchema;
import io.snowpiperelay.postgres.internal.OutboxTables;
import io.snowpiperelay.postgres.internal.PartitionRouter;
import io.snowpiperelay.postgres.internal.StreamNames;
import io.snowpiperelay.spi.DeadLetter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The transactional outbox in the application's own PostgreSQL: producers {@link #append(Connection, String, String)}
 * JSON rows to named streams <em>inside their own transaction</em>, so the event is stored if and only if the
 * business change it describes is; one relay per stream drains it through {@link #openSource(String)} into Snowflake.
 *
 * <pre>{@code
 * PostgresOutbox outbox = PostgresOutbox.open(dataSource);          // creates the tables if missing
 * try (Connection tx = dataSource.getConnection()) {
 *     tx.setAutoCommit(false);
 *     // ... the application's own INSERT/UPDATE ...
 *     outbox.append(tx, "ORDER_PLACED", "{\"ORDER_ID\":42,\"AMOUNT\":12.50}");
 *     tx.commit();                                                  // both, or neither
 * }
 * }</pre>
 *
 * <h2>Schema</h2>
 * Three tables in {@link PostgresOutboxConfig#schema()}: {@code <prefix>} (one row per event, all streams, with a
 * {@code stream} column), {@code <prefix>_stream} (each stream's offset counter) and {@code <prefix>_dead_letter};
 * created on {@link #open} when missing (PostgreSQL 14 or later, no extension). DDL, grants and vacuum notes:
 * {@code docs/postgres-outbox.md}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #append(Connection, String, String)} and {@link #appendAll(Connection, String, List)} join the
 *       caller's transaction and never commit, roll back or change its auto-commit mode: the rows become visible to
 *       the relay when, and only if, the caller commits.</li>
 *   <li>A row gets its relay offset when the relay stamps it, after its transaction committed, never at insert time:
 *       offsets are dense and increase in the order rows become visible, whatever order transactions commit in
 *       (see {@link PostgresOffsetSource}).</li>
 *   <li>Payloads are stored as given. A payload that is not one JSON object, or is larger than the runner's
 *       {@code maxRowBytes}, is dead-lettered by the relay with its offset and reason (the same check as for the
 *       SQLite outbox: it lives in core's runner), and the stream goes on.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Thread-safe; holds no connection of its own between calls. Each append uses the connection it is given (or, for the
 * {@code DataSource} forms, one it borrows and returns).
 *
 * <h2>Lifecycle</h2>
 * {@link #close()} closes every source opened here (releasing their relay locks). It does not close the
 * {@code DataSource}. Idempotent; afterwards every method throws {@link PostgresOutboxException}.
 */
public final class PostgresOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresOutbox.class);

    private final DataSource dataSource;
    private final PostgresOutboxConfig config;
    private final OutboxTables tables;
    private final String insertSql;
    private final PartitionRouter router = new PartitionRouter();
    private final String insertAllSql;
    private final Set<PostgresOffsetSource> openSources = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PostgresOutbox(DataSource dataSource, PostgresOutboxConfig config, OutboxTables tables) {
        this.dataSource = dataSource;
        this.config = config;
        this.tables = tables;
        this.insertSql = tables.insert();
        this.insertAllSql = tables.insertAll();
    }

    /**
     * Opens the outbox in {@code dataSource}'s database with {@link PostgresOutboxConfig#defaults()}.
     *
     * @throws MissingGrantException   if the tables are missing and the role may not create them
     * @throws PostgresOutboxException if the server cannot be reached, is older than PostgreSQL 14, or the tables
     *                                 are of a newer version
     */
    public static PostgresOutbox open(DataSource dataSource) {
        return open(dataSource, PostgresOutboxConfig.defaults());
    }

    /**
     * Opens the outbox: checks the server, creates the tables when missing and {@link PostgresOutboxConfig#createTables()}
     * allows, and checks their version.
     *
     * @param dataSource where connections come from; the relay's source keeps one session for as long as it is open
     * @throws MissingGrantException   if the tables are missing and the role may not create them
     * @throws PostgresOutboxException if the server cannot be reached, is older than PostgreSQL 14, the tables are
     *                                 missing and may not be created, or are of a newer version
     */
    public static PostgresOutbox open(DataSource dataSource, PostgresOutboxConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        OutboxTables tables = new OutboxTables(config);
        try (Connection connection = dataSource.getConnection()) {
            OutboxSchema.ensure(connection, tables, config.createTables());
        } catch (SQLException e) {
            throw new PostgresOutboxException(tables.outbox, null, "outbox " + tables.outbox + ": cannot open: "
                    + e.getMessage() + " (SQLState " + e.getSQLState() + "); check the JDBC URL, the server and"
                    + " the role", e);
        }
        log.info("outbox {} - opened ({})", tables.outbox, config);
        return new PostgresOutbox(dataSource, config, tables);
    }

    /** The outbox table, schema-qualified (e.g. {@code public.snowpipe_outbox}). */
    public String table() {
        return tables.outbox;
    }

    /** Where the outbox's connections come from (for {@link RelayFleet}). */
    DataSource dataSource() {
        return dataSource;
    }

    /** The outbox's tables and SQL (for {@link RelayFleet}). */
    OutboxTables tables() {
        return tables;
    }

    /** The configuration this outbox was opened with. */
    public PostgresOutboxConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------ producers

    /**
     * Appends one row to {@code stream} inside the caller's transaction on {@code transaction}. Does not commit:
     * the row is relayed once the caller commits, and never if it rolls back. On an auto-commit connection the
     * insert commits by itself. In a stream of several partitions ({@link PostgresOutboxConfig#partitions(String)})
     * rows without a key go round-robin over the partitions, so their relative order is kept only within one; use
     * {@link #append(Connection, String, String, String)} for rows that must stay in order.
     *
     * @param transaction the caller's connection, in the transaction the event belongs to
     * @param stream      the stream name, {@code [A-Za-z][A-Za-z0-9_]{0,63}}, case-sensitive
     * @param jsonPayload the row as JSON text (a JSON object); checked by the relay, which dead-letters what it
     *                    cannot send
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws NullPointerException     if an argument is null
     * @throws MissingGrantException    if the role may not insert into the outbox table
     * @throws PostgresOutboxException  if the insert fails (PostgreSQL then aborts the caller's transaction: roll it
     *                                  back) or the outbox is closed
     */
    public void append(Connection transaction, String stream, String jsonPayload) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(jsonPayload, "jsonPayload");
        StreamNames.validate(stream);
        insert(transaction, stream, router.nextPartition(stream, config.partitions(stream)), jsonPayload);
    }

    /**
     * Appends one row to {@code stream} inside the caller's transaction, in the partition of {@code key}
     * ({@link #partitionOf(String, int)}): every row of a key goes to the same partition, where rows keep the order
     * they become visible in. Does not commit. For a stream of one partition the key changes nothing.
     *
     * @param transaction the caller's connection, in the transaction the event belongs to
     * @param stream      the stream name, {@code [A-Za-z][A-Za-z0-9_]{0,63}}, case-sensitive
     * @param key         what must stay in order (an order id, an account), compared exactly
     * @param jsonPayload the row as JSON text (a JSON object)
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws NullPointerException     if an argument is null
     * @throws MissingGrantException    if the role may not insert into the outbox table
     * @throws PostgresOutboxException  if the insert fails (roll the caller's transaction back) or the outbox is
     *                                  closed
     */
    public void append(Connection transaction, String stream, String key, String jsonPayload) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(jsonPayload, "jsonPayload");
        StreamNames.validate(stream);
        insert(transaction, stream, partitionOf(key, config.partitions(stream)), jsonPayload);
    }

    private void insert(Connection transaction, String stream, int partition, String jsonPayload) {
        ensureOpen(stream);
        try (PreparedStatement insert = transaction.prepareStatement(insertSql)) {
            insert.setString(1, stream);
            insert.setInt(2, partition);
            insert.setString(3, jsonPayload);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw appendFailure(transaction, stream, "append", e);
        }
    }

    /**
     * The partition a row with {@code key} goes to in a stream of {@code partitionCount} partitions: CRC-32 (IEEE,
     * as {@link java.util.zip.CRC32} and zlib compute it) of the key's UTF-8 bytes, as an unsigned number, modulo the
     * count. Stable across processes, versions and languages.
     *
     * @throws IllegalArgumentException if {@code partitionCount} &lt; 1
     */
    public static int partitionOf(String key, int partitionCount) {
        return PartitionRouter.partitionOf(Objects.requireNonNull(key, "key"), partitionCount);
    }

    /**
     * Appends rows to {@code stream}, in order, inside the caller's transaction (one insert statement for all of them,
     * a {@code text[]} parameter). Does not commit. In a stream of several partitions the rows go round-robin over them (order kept within each partition only).
     *
     * @param transaction  the caller's connection, in the transaction the events belong to
     * @param stream       the stream name, {@code [A-Za-z][A-Za-z0-9_]{0,63}}, case-sensitive
     * @param jsonPayloads the rows as JSON text, in order; none may be null
     * @throws IllegalArgumentException if the stream name is invalid or a payload is null (nothing inserted)
     * @throws MissingGrantException    if the role may not insert into the outbox table
     * @throws PostgresOutboxException  if the insert fails (roll the caller's transaction back) or the outbox is
     *                                  closed
     */
    public void appendAll(Connection transaction, String stream, List<String> jsonPayloads) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(jsonPayloads, "jsonPayloads");
        StreamNames.validate(stream);
        ensureOpen(stream);
        int rowCount = jsonPayloads.size();
        for (int i = 0; i < rowCount; i++) {
            if (jsonPayloads.get(i) == null) {
                throw new IllegalArgumentException("stream " + stream + ": payload at index " + i + " of " + rowCount
                        + " is null; nothing was appended");
            }
        }
        if (rowCount == 0) {
            return;
        }
        try (PreparedStatement insert = transaction.prepareStatement(insertAllSql)) {
            int partitionCount = config.partitions(stream);
            insert.setString(1, stream);
            insert.setInt(2, router.nextPartitions(stream, partitionCount, rowCount));
            insert.setInt(3, partitionCount);
            java.sql.Array payloads = transaction.createArrayOf("text", jsonPayloads.toArray());
            try {
                insert.setArray(4, payloads);
                insert.executeUpdate();
            } finally {
                payloads.free();
            }
        } catch (SQLException e) {
            throw appendFailure(transaction, stream, "appendAll of " + rowCount + " rows", e);
        }
    }

    /**
     * Appends one row in a transaction of its own, on a connection borrowed from the outbox's {@code DataSource};
     * returns once it is committed. For events that belong to no other change; otherwise use
     * {@link #append(Connection, String, String)}.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws MissingGrantException    if the role may not insert into the outbox table
     * @throws PostgresOutboxException  if the write fails (nothing stored) or the outbox is closed
     */
    public void append(String stream, String jsonPayload) {
        Objects.requireNonNull(jsonPayload, "jsonPayload");
        appendAll(stream, List.of(jsonPayload));
    }

    /**
     * Appends rows in one transaction of its own (all or none), on a connection borrowed from the outbox's
     * {@code DataSource}; returns once it is committed.
     *
     * @throws IllegalArgumentException if the stream name is invalid or a payload is null (nothing stored)
     * @throws MissingGrantException    if the role may not insert into the outbox table
     * @throws PostgresOutboxException  if the write fails (nothing stored) or the outbox is closed
     */
    public void appendAll(String stream, List<String> jsonPayloads) {
        StreamNames.validate(stream);
        ensureOpen(stream);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                appendAll(connection, stream, jsonPayloads);
                connection.commit();
                committed = true;
            } finally {
                if (!committed) {
                    connection.rollback();
                }
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure(stream, "append in its own transaction", e);
        }
    }

    // --------------------------------------------------------------------------------------------- relay

    /**
     * Opens the relay side of {@code stream}: an {@link io.snowpiperelay.spi.OffsetSource} and dead-letter handler
     * with a session of its own from the {@code DataSource}, holding the stream's advisory lock until closed. The
     * session must be a real one (a direct connection, or a pool in session mode), not a transaction-mode pooler.
     *
     * @throws IllegalArgumentException      if the stream name is invalid
     * @throws PostgresOutboxLockedException if another relay, anywhere, already has the stream
     * @throws MissingGrantException         if the role lacks a privilege the relay needs
     * @throws PostgresOutboxException       if the source cannot be opened or the outbox is closed
     */
    public PostgresOffsetSource openSource(String stream) {
        StreamNames.validate(stream);
        ensureOpen(stream);
        int highest = highestPartitionWithRows(stream);
        if (highest > OutboxTables.DEFAULT_PARTITION) {
            // Only a fleet reads the other partitions: opened here, their rows would wait forever, unreported.
            throw partitionedStreamRefused(tables.outbox, stream, highest);
        }
        PostgresOffsetSource source = PostgresOffsetSource.open(dataSource, tables, stream, config,
                openSources::remove, () -> highestPartitionWithRows(stream));
        openSources.add(source);
        if (closed) {
            // close() ran between ensureOpen and add and may have missed this source.
            source.close();
            throw closedException(stream);
        }
        return source;
    }

    // ------------------------------------------------------------------------------------------ inspection

    /**
     * The number of rows in {@code stream} not yet deleted by its relay (stamped or not; rows of uncommitted
     * transactions are not counted). A full count: cost grows with the backlog.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws PostgresOutboxException  on a read failure or if the outbox is closed
     */
    public long pendingCount(String stream) {
        StreamNames.validate(stream);
        return readLong(stream, "pendingCount", tables.countRows(), stream);
    }

    /**
     * The number of committed rows in {@code stream} that its relay has not stamped with an offset yet (so they are
     * not counted by {@link #highestIssuedOffset(String)}). Together with it, the events appended so far.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws PostgresOutboxException  on a read failure or if the outbox is closed
     */
    public long unstampedCount(String stream) {
        StreamNames.validate(stream);
        return readLong(stream, "unstampedCount", tables.countUnstamped(), stream);
    }

    /**
     * The streams that have rows or a relay counter, sorted.
     *
     * @throws PostgresOutboxException on a read failure or if the outbox is closed
     */
    public List<String> streams() {
        ensureOpen(null);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(tables.listStreams());
             ResultSet rows = query.executeQuery()) {
            List<String> streams = new ArrayList<>();
            while (rows.next()) {
                streams.add(rows.getString(1));
            }
            return streams;
        } catch (SQLException e) {
            throw failure(null, "streams", e);
        }
    }

    /**
     * The dead letters recorded for {@code stream}, in offset order. The payloads may hold personal data: handle
     * the list accordingly.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws PostgresOutboxException  on a read failure or if the outbox is closed
     */
    public List<DeadLetter> deadLetters(String stream) {
        StreamNames.validate(stream);
        ensureOpen(stream);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(tables.selectDeadLetters())) {
            query.setString(1, stream);
            List<DeadLetter> deadLetters = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    deadLetters.add(new DeadLetter(rows.getString(1), rows.getLong(2), rows.getString(3),
                            rows.getString(4), rows.getTimestamp(5).toInstant()));
                }
            }
            return deadLetters;
        } catch (SQLException e) {
            throw failure(stream, "deadLetters", e);
        }
    }

    /**
     * The number of dead letters recorded for {@code stream}.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws PostgresOutboxException  on a read failure or if the outbox is closed
     */
    public long deadLetterCount(String stream) {
        StreamNames.validate(stream);
        return readLong(stream, "deadLetterCount", tables.countDeadLetters(), stream);
    }

    /**
     * The highest offset ever stamped in {@code stream}, deleted rows included; 0 if its relay has stamped none yet;
     * empty if no relay ever opened the stream.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws PostgresOutboxException  on a read failure or if the outbox is closed
     */
    public OptionalLong highestIssuedOffset(String stream) {
        StreamNames.validate(stream);
        ensureOpen(stream);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(tables.selectHighestIssued())) {
            query.setString(1, stream);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long highest = rows.getLong(1);
                return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(highest);
            }
        } catch (SQLException e) {
            throw failure(stream, "highestIssuedOffset", e);
        }
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /** Closes every source opened from this outbox (releasing their relay locks). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PostgresOffsetSource source : List.copyOf(openSources)) {
            source.close();
        }
        log.info("outbox {} - closed", tables.outbox);
    }

    @Override
    public String toString() {
        return "PostgresOutbox[" + tables.outbox + "]";
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Why a single relay cannot take a stream that has rows in {@code partition} (&gt; 0). */
    static PostgresOutboxException partitionedStreamRefused(String table, String stream, int partition) {
        return new PostgresOutboxException(table, stream, "stream " + stream + " has rows in partition " + partition
                + ": its producers append with more than one partition, and a source from openSource relays"
                + " partition 0 only, so those rows would never be relayed. Relay a partitioned stream with"
                + " RelayFleet (docs/scaling-out.md), configured with the producers' partition count", null);
    }

    /**
     * The highest partition that holds a row of {@code stream} (stamped or not), or -1 when it has none. Cheap at
     * any backlog (one step on each partial index).
     *
     * @throws PostgresOutboxException on a read failure or if the outbox is closed
     */
    int highestPartitionWithRows(String stream) {
        return (int) readLong(stream, "highestPartitionWithRows", tables.highestPartitionWithRows(), stream, stream);
    }

    private long readLong(String stream, String operation, String sql, String... parameters) {
        ensureOpen(stream);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0L;
            }
        } catch (SQLException e) {
            throw failure(stream, operation, e);
        }
    }

    private PostgresOutboxException appendFailure(Connection transaction, String stream, String operation,
                                                  SQLException e) {
        if (Grants.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            // The caller's transaction is aborted now: no query can ask which right is missing, so the server's
            // message tells the schema's USAGE from the table's INSERT.
            String role = roleOf(transaction);
            String grant = String.valueOf(e.getMessage()).contains("for schema")
                    ? "GRANT USAGE ON SCHEMA " + tables.schema() + " TO " + role
                    : "GRANT INSERT ON " + tables.outbox + " TO " + role;
            return new MissingGrantException(tables.outbox, stream, role, "to append", List.of(grant), e);
        }
        return failure(stream, operation, e);
    }

    private static String roleOf(Connection connection) {
        try {
            return connection.getMetaData().getUserName();
        } catch (SQLException e) {
            return "<the application's role>";
        }
    }

    private void ensureOpen(String stream) {
        if (closed) {
            throw closedException(stream);
        }
    }

    private PostgresOutboxException closedException(String stream) {
        return new PostgresOutboxException(tables.outbox, stream, "outbox " + tables.outbox
                + (stream == null ? "" : " stream " + stream)
                + ": the outbox is closed; open it again with PostgresOutbox.open", null);
    }

    private PostgresOutboxException failure(String stream, String operation, SQLException e) {
        return new PostgresOutboxException(tables.outbox, stream, "outbox " + tables.outbox
                + (stream == null ? "" : " stream " + stream) + ": " + operation + " failed: " + e.getMessage()
                + " (SQLState " + e.getSQLState() + "); check the server, the network and the role's grants"
                + " (docs/postgres-outbox.md, section Grants)", e);
    }
}
