package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ChannelFencedException;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.guarantees.harness.Emulators;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.Markers;
import io.snowpiperelay.guarantees.harness.MemorySource;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.guarantees.harness.RelayProcess;
import io.snowpiperelay.guarantees.harness.Rides;
import io.snowpiperelay.testkit.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 5, one writer per channel: a second runner on the same channel fences the first, which stops with a
 * clear error and does not fight back; and the SQLite source refuses a second relay process on the same stream.
 */
class FencingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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

    /**
     * Both writers have traffic: the first is fenced by the second's open and stops with
     * {@link ChannelFencedException} (it may not take the channel back more than once); the second keeps the
     * channel; nobody opens it again; rows exactly once.
     */
    @Test
    void aSecondRunnerOnTheSameChannelFencesTheFirstWhichStopsWithoutFightingBack() throws Exception {
        MemorySource shared = new MemorySource();
        Set<String> produced = java.util.concurrent.ConcurrentHashMap.newKeySet();
        appendRides(shared, produced, "a", 3000);
        RecordingListener firstEvents = new RecordingListener();
        ExactlyOnceChannelRunner first = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"),
                "FENCED_LIFT_RIDE", shared, RunnerConfig.defaults(), firstEvents).build());
        Awaitility.await().atMost(TIMEOUT).until(() -> relay.count("LIFT_RIDE") >= 3000);

        java.util.concurrent.ScheduledExecutorService producer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicInteger batch = new java.util.concurrent.atomic.AtomicInteger();
        ExactlyOnceChannelRunner second;
        RecordingListener secondEvents = new RecordingListener();
        try {
            producer.scheduleAtFixedRate(() -> appendRides(shared, produced, "b" + batch.incrementAndGet(), 100),
                    0, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
            second = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"), "FENCED_LIFT_RIDE", shared,
                    RunnerConfig.defaults(), secondEvents).build());
            InProcessRelay.awaitTerminal(first, TIMEOUT);
        } finally {
            producer.shutdown();
            assertThat(producer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.state()).isEqualTo(RunnerState.FAILED);
        assertThat(first.failure()).get().isInstanceOf(ChannelFencedException.class);
        assertThat(first.failure().get().getMessage())
                .contains("another writer took channel FENCED_LIFT_RIDE")
                .contains("one writer per channel");
        assertThat(firstEvents.fatalCalls.get()).as("fatal reported once").isEqualTo(1);
        assertThat(first.metrics().reopenCount()).as("the first runner takes the channel back at most once")
                .isLessThanOrEqualTo(1);

        ExactlyOnceChannelRunner newWriter = second;
        Awaitility.await().atMost(TIMEOUT).until(() -> newWriter.state().isTerminal()
                || (relay.count("LIFT_RIDE") >= produced.size() && shared.pending() == 0));
        assertThat(newWriter.state()).as("the new writer keeps the channel").isEqualTo(RunnerState.RUNNING);
        long opens = relay.emulator.requestCount(Endpoint.OPEN_CHANNEL);
        // No ping-pong: nobody opens the channel again once the first runner stopped.
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> relay.emulator.requestCount(Endpoint.OPEN_CHANNEL) == opens);
        assertThat(opens).as("channel opens").isLessThanOrEqualTo(5);

        assertThat(relay.count("LIFT_RIDE")).as("rows, none doubled").isEqualTo(produced.size());
        assertThat(relay.values("LIFT_RIDE", "TXID")).as("rows, none lost").isEqualTo(new TreeSet<>(produced));
    }

    /**
     * The new writer has nothing to send when the first notices it was fenced: the first must still stop (the
     * newcomer wins), not take the channel back and leave both believing they own it (this failed before core
     * fenced on the first stale-sequencer answer).
     */
    @Test
    void whenTheNewWriterIsIdleTheFirstStillStopsInsteadOfTakingTheChannelBack() throws Exception {
        MemorySource shared = new MemorySource();
        Set<String> produced = java.util.concurrent.ConcurrentHashMap.newKeySet();
        appendRides(shared, produced, "a", 3000);
        RecordingListener firstEvents = new RecordingListener();
        ExactlyOnceChannelRunner first = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"),
                "IDLE_FENCED", shared, RunnerConfig.defaults(), firstEvents).build());
        Awaitility.await().atMost(TIMEOUT).until(() -> relay.count("LIFT_RIDE") >= 3000);
        appendRides(shared, produced, "b", 3000);

        ExactlyOnceChannelRunner second = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"),
                "IDLE_FENCED", shared, RunnerConfig.defaults(), new RecordingListener()).build());
        Awaitility.await().atMost(TIMEOUT).until(() -> relay.count("LIFT_RIDE") >= 6000 && shared.pending() == 0
                || first.state().isTerminal());
        // One more row: whoever holds the channel sends it; the first must have stopped by then.
        appendRides(shared, produced, "c", 1);
        InProcessRelay.awaitTerminal(first, Duration.ofSeconds(30));

        assertThat(first.failure()).get().isInstanceOf(ChannelFencedException.class);
        assertThat(first.metrics().reopenCount()).as("the first does not take the channel back").isZero();
        Awaitility.await().atMost(TIMEOUT).until(() -> relay.count("LIFT_RIDE") >= produced.size()
                || second.state().isTerminal());
        assertThat(second.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(relay.values("LIFT_RIDE", "TXID")).isEqualTo(new TreeSet<>(produced));
    }

    private static void appendRides(MemorySource source, Set<String> produced, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            produced.add(prefix + "-" + i);
            source.append(Rides.ride(prefix + "-" + i));
        }
    }

    @Test
    void aSecondRelayProcessOnTheSameOutboxIsRefusedAndTheFirstCarriesOn() throws Exception {
        Path outboxFile = dir.resolve("outbox.db");
        Path profile = Emulators.writeProfile(relay.emulator.clientProperties(), dir.resolve("profile.json"));
        Set<String> produced = new TreeSet<>(Rides.append(relay.outbox, Rides.STREAM, "p", 0, 2000));
        for (SkiTable t : SkiTable.values()) {
            relay.outbox.pendingCount(t.streamName());
        }
        String[] args = {"--outbox", outboxFile.toString(), "--profile", profile.toString(),
                "--channel-prefix", "GUARD"};
        Path stderr = dir.resolve("relays.stderr");
        try (RelayProcess first = RelayProcess.startRelay(stderr, List.of(), args)) {
            first.awaitLine(Markers.READY, TIMEOUT);
            try (RelayProcess second = RelayProcess.startRelay(stderr, List.of(), args)) {
                String refused = second.awaitLine(l -> l.startsWith(Markers.REFUSED), Markers.REFUSED, TIMEOUT);
                assertThat(refused)
                        .contains("OutboxLockedException")
                        .contains("already being relayed by another process (pid " + first.pid())
                        .contains("run one relay per outbox stream");
                assertThat(second.awaitExit(TIMEOUT)).isEqualTo(3);
            }
            produced.addAll(Rides.append(relay.outbox, Rides.STREAM, "q", 0, 2000));
            Awaitility.await().atMost(TIMEOUT).until(() -> relay.outbox.pendingCount(Rides.STREAM) == 0
                    && relay.count("LIFT_RIDE") >= produced.size());
            first.kill(); // SIGKILL: the operating system releases its locks
        }
        produced.addAll(Rides.append(relay.outbox, Rides.STREAM, "r", 0, 1000));
        try (RelayProcess next = RelayProcess.startRelay(stderr, List.of(), args)) {
            next.awaitLine(Markers.READY, TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> relay.outbox.pendingCount(Rides.STREAM) == 0
                    && relay.count("LIFT_RIDE") >= produced.size());
            assertThat(next.stopGracefully(TIMEOUT)).isZero();
        }
        assertThat(relay.count("LIFT_RIDE")).isEqualTo(produced.size());
        assertThat(relay.values("LIFT_RIDE", "TXID")).isEqualTo(produced);
    }
}
