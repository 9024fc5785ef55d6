package io.snowpiperelay.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SynchronousMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration reaches SQLite: each pragma as read back from the connection. */
class SqliteConnectionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreWalNormalWithBusyTimeoutAndCache() throws Exception {
        try (Connection connection = SqliteConnections.open(dir.resolve("a.db"), OutboxConfig.defaults())) {
            assertThat(pragma(connection, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(pragma(connection, "synchronous")).isEqualTo("1"); // NORMAL
            assertThat(pragma(connection, "busy_timeout")).isEqualTo("30000");
            assertThat(pragma(connection, "cache_size")).isEqualTo("-8192");
            assertThat(pragma(connection, "journal_size_limit"))
                    .isEqualTo(Integer.toString(SqliteConnections.WAL_SIZE_LIMIT_BYTES));
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }

    @Test
    void configuredValuesAreApplied() throws Exception {
        OutboxConfig config = OutboxConfig.builder().synchronousMode(SynchronousMode.FULL)
                .busyTimeout(Duration.ofMillis(1234)).cacheSizeKib(256).build();
        try (Connection connection = SqliteConnections.open(dir.resolve("b.db"), config)) {
            assertThat(pragma(connection, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(connection, "busy_timeout")).isEqualTo("1234");
            assertThat(pragma(connection, "cache_size")).isEqualTo("-256");
        }
    }

    @Test
    void onlyTheRelaysConnectionReadsThroughMemoryMapping() throws Exception {
        OutboxConfig config = OutboxConfig.builder().relayMmapMib(3).build();
        try (Connection producer = SqliteConnections.open(dir.resolve("c.db"), config);
             Connection relay = SqliteConnections.openForRelay(dir.resolve("c.db"), config);
             Connection off = SqliteConnections.openForRelay(dir.resolve("c.db"),
                     OutboxConfig.builder().relayMmapMib(0).build())) {
            assertThat(pragma(producer, "mmap_size")).isEqualTo("0");
            assertThat(pragma(relay, "mmap_size")).isEqualTo(Long.toString(3L * 1024 * 1024));
            assertThat(pragma(off, "mmap_size")).isEqualTo("0");
        }
    }

    private static String pragma(Connection connection, String name) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
