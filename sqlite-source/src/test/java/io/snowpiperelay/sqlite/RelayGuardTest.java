package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-relay guard inside one JVM; {@link RelayGuardIT} covers other processes and SIGKILL. */
class RelayGuardTest {

    @TempDir
    Path dir;

    private SqliteOutbox outbox;

    @BeforeEach
    void open() {
        outbox = SqliteOutbox.open(dir.resolve("outbox.db"));
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    @Test
    void aSecondSourceForTheSameStreamIsRefusedUntilTheFirstCloses() {
        SqliteOffsetSource first = outbox.openSource("LIFT_RIDE");
        Path lockFile = outbox.file().resolveSibling("outbox.db.LIFT_RIDE.relay.lock");
        assertThat(first.lockFile()).isEqualTo(lockFile).exists();

        assertThatThrownBy(() -> outbox.openSource("LIFT_RIDE"))
                .isInstanceOf(OutboxLockedException.class)
                .hasMessage("outbox " + outbox.file() + " stream LIFT_RIDE is already being relayed by another relay"
                        + " in this process (pid " + ProcessHandle.current().pid() + ") (lock file " + lockFile
                        + "); run one relay per outbox stream")
                .satisfies(e -> {
                    OutboxLockedException locked = (OutboxLockedException) e;
                    assertThat(locked.file()).isEqualTo(outbox.file());
                    assertThat(locked.streamName()).isEqualTo("LIFT_RIDE");
                    assertThat(locked.lockFile()).isEqualTo(lockFile);
                });
        // The refused attempt must not have disturbed the holder's lock (POSIX drops a process's locks
        // when any descriptor of the file closes): the first source still works and still excludes.
        assertThat(first.getData(0, 1)).isEmpty();
        assertThatThrownBy(() -> outbox.openSource("lift_ride")).isInstanceOf(OutboxLockedException.class);

        // Another stream is independent.
        try (SqliteOffsetSource other = outbox.openSource("RESORT_TICKET")) {
            assertThat(other.stream()).isEqualTo("RESORT_TICKET");
        }

        first.close();
        try (SqliteOffsetSource second = outbox.openSource("LIFT_RIDE")) {
            assertThat(second.getData(0, 1)).isEmpty();
        }
    }

    @Test
    void anotherOutboxInstanceOnTheSameFileIsRefusedToo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), outbox.file());
        try (SqliteOffsetSource first = outbox.openSource("S");
             SqliteOutbox viaLink = SqliteOutbox.open(link)) {
            assertThat(viaLink.file()).isEqualTo(outbox.file());
            assertThat(first.lockFile()).isEqualTo(outbox.file().resolveSibling("outbox.db.S.relay.lock"));
            assertThatThrownBy(() -> viaLink.openSource("S")).isInstanceOf(OutboxLockedException.class);
        }
    }

    @Test
    void racingThreadsGetExactlyOneSource() throws Exception {
        outbox.append("S", "{}");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<SqliteOffsetSource> opened = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<SqliteOffsetSource>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            return outbox.openSource("S");
                        } catch (OutboxLockedException refused) {
                            return null;
                        }
                    }));
                }
                start.countDown();
                opened.clear();
                for (Future<SqliteOffsetSource> attempt : attempts) {
                    SqliteOffsetSource source = attempt.get(30, TimeUnit.SECONDS);
                    if (source != null) {
                        opened.add(source);
                    }
                }
                assertThat(opened).as("round %d", round).hasSize(1);
                opened.get(0).close();
            }
        } finally {
            opened.forEach(SqliteOffsetSource::close);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
