package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.SourceRegressionException;
import io.snowpiperelay.guarantees.harness.Emulators;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.guarantees.harness.Rides;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 6 (a recreated outbox is refused) and a committed token that goes backwards. */
class SourceRegressionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CHANNEL = "REGRESSION_LIFT_RIDE";

    @TempDir
    Path dir;

    private InProcessRelay relay;

    @BeforeEach
    void start() {
        relay = new InProcessRelay(dir, Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aRecreatedOutboxBelowTheCommittedTokenIsRefusedAndNothingIsDeleted() throws Exception {
        Rides.append(relay.outbox, Rides.STREAM, "old", 0, 500);
        ExactlyOnceChannelRunner original = relay.startOn(InProcessRelay.pipe("LIFT_RIDE_PIPE"), CHANNEL,
                Rides.STREAM, RunnerConfig.defaults(), new RecordingListener());
        relay.awaitLanded(original, "LIFT_RIDE", Rides.STREAM, 500, TIMEOUT);
        original.close();
        assertThat(relay.emulator.committedOffsetToken(Emulators.DATABASE, Emulators.SCHEMA, "LIFT_RIDE_PIPE",
                CHANNEL)).contains("500");

        // The outbox is lost and recreated: its offsets start at 1 again.
        Path recreated = dir.resolve("recreated-outbox.db");
        try (SqliteOutbox fresh = SqliteOutbox.open(recreated);
             SqliteOffsetSource source = fresh.openSource(Rides.STREAM)) {
            Rides.append(fresh, Rides.STREAM, "new", 0, 20);
            RecordingListener listener = new RecordingListener();
            ExactlyOnceChannelRunner runner = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"),
                    CHANNEL, source, RunnerConfig.defaults(), listener).build());
            InProcessRelay.awaitTerminal(runner, TIMEOUT);

            assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
            assertThat(runner.failure()).get().isInstanceOf(SourceRegressionException.class);
            SourceRegressionException e = (SourceRegressionException) runner.failure().get();
            assertThat(e.channel()).isEqualTo(CHANNEL);
            assertThat(e.committedOffset()).isEqualTo(500);
            assertThat(e.highestIssuedOffset()).isEqualTo(20);
            assertThat(e.getMessage())
                    .contains("channel " + CHANNEL)
                    .contains("committed token 500")
                    .contains("outbox " + fresh.file())
                    .contains("recreated");
            assertThat(listener.fatal.get()).isSameAs(e);
            assertThat(fresh.pendingCount(Rides.STREAM)).as("nothing deleted from the new outbox").isEqualTo(20);
            assertThat(relay.count("LIFT_RIDE")).as("nothing sent").isEqualTo(500);
        }
    }

    @Test
    void aCommittedTokenThatGoesBackwardsStopsTheRunnerAndNothingUnconfirmedIsDeleted() throws Exception {
        RecordingListener listener = new RecordingListener();
        Rides.append(relay.outbox, Rides.STREAM, "a", 0, 1000);
        ExactlyOnceChannelRunner runner = relay.startOn(InProcessRelay.pipe("LIFT_RIDE_PIPE"), CHANNEL,
                Rides.STREAM, RunnerConfig.defaults(), listener);
        relay.awaitLanded(runner, "LIFT_RIDE", Rides.STREAM, 1000, TIMEOUT);

        // Rows appended but not committed (commits stalled) when the token goes back from 1000 to 400.
        relay.emulator.stallCommits(Duration.ofMinutes(5));
        Rides.append(relay.outbox, Rides.STREAM, "b", 0, 300);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> runner.metrics().appendedOffset() >= 1300);
        relay.emulator.rewindCommittedToken(Emulators.DATABASE, Emulators.SCHEMA, "LIFT_RIDE_PIPE", CHANNEL, "400");
        InProcessRelay.awaitTerminal(runner, TIMEOUT);

        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(runner.failure()).get().isInstanceOf(RelayHaltedException.class);
        RelayHaltedException e = (RelayHaltedException) runner.failure().get();
        assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.COMMITTED_TOKEN_REGRESSED);
        assertThat(e.previousOffset()).hasValue(1000);
        assertThat(e.offset()).hasValue(400);
        assertThat(e.getMessage()).contains("channel " + CHANNEL).contains("from 1000 to 400");
        assertThat(runner.metrics().deletedOffset()).as("deleted only what was confirmed").isEqualTo(1000);
        assertThat(relay.outbox.pendingCount(Rides.STREAM)).as("unconfirmed rows stay").isEqualTo(300);
        relay.emulator.resumeCommits();
    }
}
