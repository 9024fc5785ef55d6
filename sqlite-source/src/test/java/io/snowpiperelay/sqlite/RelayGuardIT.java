package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-relay guard across processes, and its release when the holder is killed with SIGKILL. */
class RelayGuardIT {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path file;
    private SqliteOutbox outbox;

    @BeforeEach
    void openOutbox() {
        file = dir.resolve("outbox.db");
        outbox = SqliteOutbox.open(file);
        outbox.append("LIFT_RIDE", "{\"n\":1}");
    }

    @AfterEach
    void closeOutbox() {
        outbox.close();
    }

    @Test
    void anotherProcessHoldingTheStreamBlocksThisOneUntilItIsKilled() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, HoldRelayLockMain.class, file.toString(), "LIFT_RIDE")) {
            child.awaitLine("LOCKED", CHILD_TIMEOUT);

            assertThatThrownBy(() -> outbox.openSource("LIFT_RIDE"))
                    .isInstanceOf(OutboxLockedException.class)
                    .hasMessageContaining("outbox " + outbox.file())
                    .hasMessageContaining("stream LIFT_RIDE is already being relayed by another process (pid "
                            + child.pid())
                    .hasMessageContaining("lock file " + outbox.file() + ".LIFT_RIDE.relay.lock")
                    .hasMessageEndingWith("; run one relay per outbox stream")
                    .satisfies(e -> {
                        OutboxLockedException locked = (OutboxLockedException) e;
                        assertThat(locked.file()).isEqualTo(outbox.file());
                        assertThat(locked.streamName()).isEqualTo("LIFT_RIDE");
                    });
            // Other streams of the same file are not affected.
            try (SqliteOffsetSource other = outbox.openSource("RESORT_TICKET")) {
                assertThat(other.getData(0, 10)).isEmpty();
            }

            child.kill();

            // The operating system released the dead holder's lock: no stale lock, no manual cleanup.
            try (SqliteOffsetSource source = outbox.openSource("LIFT_RIDE")) {
                assertThat(source.getData(0, 10)).hasSize(1);
            }
        }
    }

    @Test
    void anotherProcessIsRefusedWhileThisOneHoldsTheStream() throws Exception {
        try (SqliteOffsetSource source = outbox.openSource("LIFT_RIDE")) {
            try (ChildJvm child = ChildJvm.start(dir, HoldRelayLockMain.class, file.toString(), "lift_ride")) {
                String refused = child.awaitLine("REFUSED", CHILD_TIMEOUT);
                assertThat(refused)
                        .contains("stream LIFT_RIDE is already being relayed by another process (pid "
                                + ProcessHandle.current().pid())
                        .endsWith("; run one relay per outbox stream");
                assertThat(child.awaitExit(CHILD_TIMEOUT)).isEqualTo(3);
            }
            assertThat(source.getData(0, 10)).hasSize(1);
        }
        // Released by close(): a new process gets it, and gives it back when asked to stop.
        try (ChildJvm child = ChildJvm.start(dir, HoldRelayLockMain.class, file.toString(), "LIFT_RIDE")) {
            child.awaitLine("LOCKED", CHILD_TIMEOUT);
            child.closeStdin();
            child.awaitLine("RELEASING", CHILD_TIMEOUT);
            assertThat(child.awaitExit(CHILD_TIMEOUT)).isZero();
        }
        try (SqliteOffsetSource again = outbox.openSource("LIFT_RIDE")) {
            assertThat(again.describe()).isEqualTo("outbox " + outbox.file() + ", stream LIFT_RIDE");
        }
    }
}
