package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLITE_BUSY: another connection (as another process would) holds the write lock. Within the busy timeout
 * the outbox waits for it; past it, the error names the file, the stream and the timeout.
 */
class BusyTimeoutTest {

    @TempDir
    Path dir;

    @Test
    void appendAndDeleteWaitForAnotherWriterWithinTheBusyTimeout() throws Exception {
        try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("outbox.db"));
             SqliteOffsetSource source = outbox.openSource("S");
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + outbox.file());
             Statement otherStatement = other.createStatement()) {
            outbox.appendAll("S", java.util.List.of("{}", "{}"));
            otherStatement.execute("BEGIN IMMEDIATE");

            CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> outbox.append("S", "{}"));
            // Waiting on the lock, not failing.
            assertThatThrownBy(() -> append.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            // Reads never wait for a writer (WAL).
            assertThat(source.getData(0, 10)).hasSize(2);
            assertThat(outbox.pendingCount("S")).isEqualTo(2);
            // (The source serialises its calls: while this delete waits, so would a getData on the source.)
            CompletableFuture<Void> delete = CompletableFuture.runAsync(() -> source.deleteData(1));
            assertThatThrownBy(() -> delete.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(append).isNotDone();

            otherStatement.execute("COMMIT");
            assertThat(append.get(20, TimeUnit.SECONDS)).isEqualTo(3);
            delete.get(20, TimeUnit.SECONDS);
            assertThat(outbox.pendingCount("S")).isEqualTo(2);
        }
    }

    @Test
    void pastTheBusyTimeoutTheErrorNamesFileStreamAndTimeout() throws Exception {
        OutboxConfig config = OutboxConfig.builder().busyTimeout(Duration.ofMillis(50)).build();
        try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("outbox.db"), config);
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + outbox.file());
             Statement otherStatement = other.createStatement()) {
            outbox.append("S", "{}");
            otherStatement.execute("BEGIN IMMEDIATE");
            try {
                assertThatThrownBy(() -> outbox.append("S", "{}"))
                        .isInstanceOf(OutboxException.class)
                        .hasMessageStartingWith("outbox " + outbox.file() + " stream S: append failed: ")
                        .hasMessageContaining("SQLITE_BUSY")
                        .hasMessageContaining("busyTimeout PT0.05S");
                assertThatThrownBy(() -> outbox.appendAll("S", java.util.List.of("{}")))
                        .isInstanceOf(OutboxException.class)
                        .hasMessageContaining("appendAll of 1 rows failed")
                        .hasMessageContaining("SQLITE_BUSY");
            } finally {
                otherStatement.execute("ROLLBACK");
            }
            // Nothing half-done: the next append works and gets the next offset.
            assertThat(outbox.append("S", "{}")).isEqualTo(2);
            assertThat(outbox.pendingCount("S")).isEqualTo(2);
        }
    }
}
