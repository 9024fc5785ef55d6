package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.sqlite.OutboxConfig;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Opens SQLite connections to an outbox file with the outbox's pragmas. */
public final class SqliteConnections {

    /**
     * After a checkpoint, SQLite truncates the WAL file to this size. Without a limit the file keeps the
     * size of the largest burst ever written (one big appendAll can leave hundreds of MB behind).
     */
    static final int WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

    private SqliteConnections() {
    }

    /**
     * A connection in auto-commit mode with WAL, the configured {@code synchronous} level, busy timeout
     * and page cache. Callers that need a multi-statement transaction issue {@code BEGIN IMMEDIATE}
     * themselves: taking the write lock up front means SQLite's busy handler waits for it, whereas a
     * deferred transaction that reads and then writes can fail at once with SQLITE_BUSY.
     */
    public static Connection open(Path file, OutboxConfig config) throws SQLException {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(config.synchronousMode().name()));
        sqlite.setBusyTimeout((int) config.busyTimeout().toMillis());
        // Negative cache_size means KiB rather than pages.
        sqlite.setCacheSize(-config.cacheSizeKib());
        sqlite.setJournalSizeLimit(WAL_SIZE_LIMIT_BYTES);
        if (!config.createIfMissing()) {
            sqlite.resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE);
        }
        Connection connection = sqlite.createConnection("jdbc:sqlite:" + file);
        connection.setAutoCommit(true);
        return connection;
    }

    /**
     * A connection as {@link #open} makes, for a relay's source: with memory-mapped reads of up to
     * {@link OutboxConfig#relayMmapMib()} (the relay reads whole backlogs; producers and inspection do not).
     */
    public static Connection openForRelay(Path file, OutboxConfig config) throws SQLException {
        Connection connection = open(file, config);
        try (Statement pragma = connection.createStatement()) {
            pragma.execute("PRAGMA mmap_size = " + (long) config.relayMmapMib() * 1024 * 1024);
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return connection;
    }
}
