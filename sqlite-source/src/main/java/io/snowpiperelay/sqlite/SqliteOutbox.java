package io.snowpiperelay.sqlite;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.sqlite.internal.DeadLetterStore;
import io.snowpiperelay.sqlite.internal.GroupCommitWriter;
import io.snowpiperelay.sqlite.internal.OutboxContext;
import io.snowpiperelay.sqlite.internal.OutboxCounts;
import io.snowpiperelay.sqlite.internal.OutboxReader;
import io.snowpiperelay.sqlite.internal.OutboxSql;
import io.snowpiperelay.sqlite.internal.SqliteConnections;
import io.snowpiperelay.sqlite.internal.StreamCatalogue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local, durable, offset-addressed outbox in one SQLite file: producers {@link #append} JSON rows to named
 * streams, and one relay per stream drains it through {@link #openSource(String)} into Snowflake.
 *
 * <h2>Schema</h2>
 * Each stream {@code S} is a table {@code outbox_S("offset" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT,
 * created_at_ms INTEGER, payload_checked INTEGER, row_count INTEGER)}, created on first use. AUTOINCREMENT means
 * an offset is never issued twice, even after the rows holding the highest offsets are deleted or the file is
 * reopened. {@link #appendAll} and group commits pack runs of compact JSON objects several to a table row
 * ({@link OutboxConfig#packRows()}); each record still has an offset of its own. Dead letters of all
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

    private final OutboxContext context;
    private final GroupCommitWriter writer;
    private final OutboxReader reader;
    private final StreamCatalogue catalogue;
    private final DeadLetterStore deadLetterStore;
    private final OutboxCounts counts;
    private final Set<SqliteOffsetSource> openSources = ConcurrentHashMap.newKeySet();

    private SqliteOutbox(OutboxContext context, GroupCommitWriter writer, OutboxReader reader) {
        this.context = context;
        this.writer = writer;
        this.reader = reader;
        this.catalogue = new StreamCatalogue(context, writer, reader);
        this.deadLetterStore = new DeadLetterStore(reader);
        this.counts = new OutboxCounts(reader);
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
            OutboxContext context = new OutboxContext(real, config);
            SqliteOutbox outbox = new SqliteOutbox(context, new GroupCommitWriter(context, writer),
                    new OutboxReader(context, reader));
            log.info("outbox {} - opened ({})", real, config);
            return outbox;
        } catch (SQLException | IOException | RuntimeException e) {
            OutboxContext.closeQuietly(reader, e);
            OutboxContext.closeQuietly(writer, e);
            if (e instanceof OutboxException) {
                throw (OutboxException) e;
            }
            throw new OutboxException(absolute, null, "outbox " + absolute + ": cannot open: " + e.getMessage()
                    + "; check that the path is an SQLite file that this process can read and write", e);
        }
    }

    /** The outbox file (absolute, symbolic links resolved). */
    public Path file() {
        return context.file();
    }

    /** The configuration this outbox was opened with. */
    public OutboxConfig config() {
        return context.config();
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
        return writer.append(catalogue.resolve(stream, true), jsonPayload);
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
        return writer.appendAll(catalogue.resolve(stream, true), jsonPayloads);
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
        String canonical = catalogue.resolve(stream, true);
        context.ensureOpen(canonical);
        SqliteOffsetSource source = SqliteOffsetSource.open(context.file(), canonical, context.config(),
                openSources::remove);
        openSources.add(source);
        if (context.isClosed()) {
            // close() ran between ensureOpen and add and may have missed this source.
            source.close();
            throw context.closedException(canonical);
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
        String canonical = catalogue.resolve(stream, false);
        return canonical == null ? 0 : counts.pendingCount(canonical);
    }

    /**
     * The streams in this file, sorted by name, as they were first spelled.
     *
     * @throws OutboxException on a read failure or if the outbox is closed
     */
    public List<String> streams() {
        return catalogue.streams();
    }

    /**
     * The dead letters recorded for {@code stream}, in offset order; empty for a stream that does not exist.
     * The payloads may hold personal data: handle the list accordingly.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public List<DeadLetter> deadLetters(String stream) {
        String canonical = catalogue.resolve(stream, false);
        return canonical == null ? List.of() : deadLetterStore.deadLetters(canonical);
    }

    /**
     * The number of dead letters recorded for {@code stream}; 0 for a stream that does not exist.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public long deadLetterCount(String stream) {
        String canonical = catalogue.resolve(stream, false);
        return canonical == null ? 0 : deadLetterStore.count(canonical);
    }

    /**
     * The highest offset ever issued in {@code stream}, including deleted rows (from {@code sqlite_sequence});
     * 0 if the stream exists but never had a row; empty if the stream does not exist.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws OutboxException          on a read failure or if the outbox is closed
     */
    public OptionalLong highestIssuedOffset(String stream) {
        String canonical = catalogue.resolve(stream, false);
        return canonical == null ? OptionalLong.empty() : OptionalLong.of(counts.highestIssuedOffset(canonical));
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /**
     * Closes every source opened from this outbox (releasing their relay locks) and the connections. Waits
     * for an append in progress to finish. Idempotent.
     */
    @Override
    public void close() {
        if (!context.markClosed()) {
            return;
        }
        for (SqliteOffsetSource source : List.copyOf(openSources)) {
            source.close();
        }
        writer.close();
        reader.close();
        log.info("outbox {} - closed", context.file());
    }

    @Override
    public String toString() {
        return "SqliteOutbox[" + context.file() + "]";
    }

    /** Transactions that committed appended rows so far (for tests of the group commit). */
    long appendTransactionCount() {
        return writer.appendTransactionCount();
    }
}
