package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.guarantees.harness.Rides;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart of the service (the emulator on the same store) is a recoverable channel fault, not fencing. */
class EmulatorRestartIT {
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
    void runnerSurvivesAnEmulatorRestartWithoutCallingItFencing() throws Exception {
        RecordingListener listener = new RecordingListener();
        Set<String> produced = new TreeSet<>(Rides.append(relay.outbox, Rides.STREAM, "a", 0, 2000));
        ExactlyOnceChannelRunner runner = relay.startOn(InProcessRelay.pipe("LIFT_RIDE_PIPE"), "RESTART_LIFT_RIDE",
                Rides.STREAM, RunnerConfig.defaults(), listener);
        relay.awaitLanded(runner, "LIFT_RIDE", Rides.STREAM, 2000, Duration.ofSeconds(60));

        relay.emulator.restart();
        produced.addAll(Rides.append(relay.outbox, Rides.STREAM, "b", 0, 2000));
        relay.awaitLanded(runner, "LIFT_RIDE", Rides.STREAM, 4000, Duration.ofSeconds(60));

        assertThat(listener.fatal.get()).as("fatal error").isNull();
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(runner.metrics().reopenCount()).as("reopened after the restart").isGreaterThanOrEqualTo(1);
        assertThat(relay.count("LIFT_RIDE")).isEqualTo(4000);
        assertThat(relay.values("LIFT_RIDE", "TXID")).isEqualTo(produced);
        assertThat(relay.outbox.pendingCount(Rides.STREAM)).isZero();
    }
}
