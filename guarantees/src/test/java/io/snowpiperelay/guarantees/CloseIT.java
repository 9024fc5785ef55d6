package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.guarantees.harness.Rides;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code close()} under load: returns within its bound, leaves what was not confirmed in the outbox, and a restart
 * on the same channel finishes those rows exactly once.
 */
class CloseIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** What close() may take beyond the close timeout (the runner's documented grace) plus scheduling slack. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(6);
    private static final String CHANNEL = "CLOSE_LIFT_RIDE";

    @TempDir
    Path dir;

    private InProcessRelay relay;
    private ScheduledExecutorService producer;
    private final Set<String> produced = new ConcurrentSkipListSet<>();
    private final AtomicInteger batches = new AtomicInteger();

    @BeforeEach
    void start() {
        relay = new InProcessRelay(dir, Duration.ofMillis(200));
        producer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        producer.shutdownNow();
        producer.awaitTermination(10, TimeUnit.SECONDS);
        relay.close();
    }

    private void produceContinuously() {
        producer.scheduleAtFixedRate(() -> produced.addAll(Rides.append(relay.outbox, Rides.STREAM,
                "b" + batches.incrementAndGet(), 0, 200)), 0, 50, TimeUnit.MILLISECONDS);
    }

    private void stopProducing() throws InterruptedException {
        producer.shutdown();
        assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeWithCommitsStalledReturnsInTimeLeavesUnconfirmedRowsAndARestartFinishesThemOnce() throws Exception {
        RunnerConfig config = RunnerConfig.builder().closeTimeout(CLOSE_TIMEOUT).build();
        SqliteOffsetSource source = relay.source(Rides.STREAM);
        ExactlyOnceChannelRunner runner = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"), CHANNEL,
                source, config, new RecordingListener()).build());
        produceContinuously();
        Awaitility.await().atMost(TIMEOUT).until(() -> runner.metrics().committedOffset() >= 2000);

        relay.emulator.stallCommits(Duration.ofMinutes(5));
        long committedAtStall = runner.metrics().committedOffset();
        Awaitility.await().atMost(TIMEOUT).until(() -> runner.metrics().uncommittedRows() >= 1000);

        long t0 = System.nanoTime();
        runner.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).as("close() bound").isLessThanOrEqualTo(CLOSE_TIMEOUT.plus(CLOSE_SLACK));
        assertThat(took).as("close() waited for the commits").isGreaterThanOrEqualTo(CLOSE_TIMEOUT.minusMillis(100));
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        long deleted = runner.metrics().deletedOffset();
        assertThat(deleted).as("deleted only confirmed rows").isLessThanOrEqualTo(runner.metrics().committedOffset());
        assertThat(relay.outbox.pendingCount(Rides.STREAM)).as("unconfirmed rows stay in the outbox")
                .isGreaterThanOrEqualTo(1000);
        assertThat(committedAtStall).isLessThanOrEqualTo(runner.metrics().committedOffset());

        // Restart: same channel, the outbox reopened, commits flowing again, producer still writing.
        source.close();
        relay.emulator.resumeCommits();
        ExactlyOnceChannelRunner restarted = relay.startOn(InProcessRelay.pipe("LIFT_RIDE_PIPE"), CHANNEL,
                Rides.STREAM, config, new RecordingListener());
        Awaitility.await().atMost(TIMEOUT).until(() -> restarted.metrics().committedOffset() > deleted + 1000);
        stopProducing();
        relay.awaitLanded(restarted, "LIFT_RIDE", Rides.STREAM, produced.size(), TIMEOUT);

        assertThat(restarted.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(relay.count("LIFT_RIDE")).as("rows, none doubled").isEqualTo(produced.size());
        assertThat(relay.values("LIFT_RIDE", "TXID")).as("rows, none lost").isEqualTo(produced);
        assertThat(relay.outbox.pendingCount(Rides.STREAM)).isZero();
    }

    @Test
    void closeUnderLoadWithCommitsFlowingDrainsWhatWasAppendedWithinTheBound() throws Exception {
        RunnerConfig config = RunnerConfig.builder().closeTimeout(Duration.ofSeconds(20)).build();
        SqliteOffsetSource source = relay.source(Rides.STREAM);
        ExactlyOnceChannelRunner runner = relay.start(relay.runner(InProcessRelay.pipe("LIFT_RIDE_PIPE"), CHANNEL,
                source, config, new RecordingListener()).build());
        produceContinuously();
        Awaitility.await().atMost(TIMEOUT).until(() -> runner.metrics().committedOffset() >= 3000);

        long t0 = System.nanoTime();
        runner.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).as("close() bound").isLessThan(config.closeTimeout().plus(CLOSE_SLACK));
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        assertThat(runner.metrics().uncommittedRows()).as("everything appended was confirmed").isZero();
        assertThat(runner.metrics().deletedOffset()).isEqualTo(runner.metrics().appendedOffset());
        stopProducing();
        assertThat(relay.count("LIFT_RIDE") + relay.outbox.pendingCount(Rides.STREAM))
                .as("every row is landed or still in the outbox, never both").isEqualTo(produced.size());
    }
}
