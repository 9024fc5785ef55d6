package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter with the real SDK against the emulator: relaying, health, and the bounded drain at close. */
class SnowpipeRelayIT {
    @TempDir
    Path dir;

    private SnowpipeEmulator emulator;
    private Path outboxFile;

    @BeforeEach
    void start() {
        emulator = RelayTestSupport.startEmulator();
        outboxFile = dir.resolve("shop.db");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private ApplicationContextRunner runner(Map<String, String> extra) {
        Map<String, String> p = RelayTestSupport.profileProperties(emulator);
        p.putAll(RelayTestSupport.ticketChannel(0, "TICKET_1", outboxFile));
        p.putAll(extra);
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SnowpipeRelayAutoConfiguration.class,
                        SnowpipeRelayHealthAutoConfiguration.class, SnowpipeRelayMetricsAutoConfiguration.class))
                .withInitializer(ctx -> RelayTestSupport.putKey(ctx, emulator))
                .withPropertyValues(RelayTestSupport.asPairs(p));
    }

    private void appendTickets(int fromId, int count) {
        try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
            List<String> rows = new ArrayList<>();
            for (int id = fromId; id < fromId + count; id++) {
                rows.add("{\"id\":" + id + ",\"v\":\"t" + id + "\"}");
            }
            outbox.appendAll("tickets", rows);
        }
    }

    private long pending() {
        try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
            return outbox.pendingCount("tickets");
        }
    }

    @Test
    void contextFromPropertiesAloneRelaysEveryRowExactlyOnceAcrossARestart() {
        appendTickets(1, 1_500);
        runner(Map.of()).run(context -> {
            assertThat(context).hasNotFailed();
            SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
            assertThat(relay.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> relay.group().isDrained());
            assertThat(relay.group().failures()).isEmpty();
            assertThat(context.getBean(SnowpipeRelayHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET")).isEqualTo(1_500);
        assertThat(pending()).isZero();

        // A second application run resumes after the committed token: the new rows, none of the old twice.
        appendTickets(1_501, 500);
        runner(Map.of()).run(context -> await().atMost(Duration.ofSeconds(60))
                .until(() -> context.getBean(SnowpipeRelay.class).group().isDrained()));
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET")).isEqualTo(2_000);
        assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT ID) FROM TICKET")).isEqualTo(2_000);
        assertThat(pending()).isZero();
    }

    @Test
    void healthGoesDownNamingTheFailedChannelAndWhyWhileTheOtherRuns() {
        appendTickets(1, 100);
        Map<String, String> missingTable = Map.of(
                "snowpipe.relay.channels[1].name", "GHOST_1",
                "snowpipe.relay.channels[1].table", "SHOP.PUBLIC.GHOST",
                "snowpipe.relay.channels[1].source", "sqlite",
                "snowpipe.relay.channels[1].sqlite.path", outboxFile.toString(),
                "snowpipe.relay.channels[1].sqlite.stream", "ghosts",
                "snowpipe.relay.runner.max-reopen-attempts", "1",
                "snowpipe.relay.runner.reopen-backoff-initial", "10ms");
        runner(missingTable).run(context -> {
            SnowpipeRelayHealthIndicator indicator = context.getBean(SnowpipeRelayHealthIndicator.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
            Health health = indicator.health();
            assertThat(health.getDetails().get("failed")).asString().contains("GHOST_1").doesNotContain("TICKET_1");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) health.getDetails().get("channels");
            assertThat(channels.get("GHOST_1")).containsEntry("state", RunnerState.FAILED);
            assertThat(channels.get("GHOST_1").get("error")).asString().contains("GHOST");
            assertThat(channels.get("GHOST_1")).containsEntry("reason", RelayHaltedException.Reason.OBJECT_NOT_FOUND);
            assertThat(channels.get("TICKET_1")).doesNotContainKey("error");
            assertThat(channels.get("TICKET_1").get("state")).isNotEqualTo(RunnerState.FAILED);
            assertThat(health.toString()).doesNotContain(RelayTestSupport.keyFragment(emulator));
            // The healthy channel goes on relaying.
            await().atMost(Duration.ofSeconds(60)).until(() -> emulator.queryForLong("SELECT COUNT(*) FROM TICKET") == 100);
        });
    }

    @Test
    void closingTheContextDrainsForAtMostTheCloseTimeoutAndKeepsWhatWasNotCommitted() {
        appendTickets(1, 300);
        emulator.stallCommits(Duration.ofMinutes(2));
        Duration closeTimeout = Duration.ofSeconds(1);
        ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
        runner(Map.of("snowpipe.relay.runner.close-timeout", "1s")).run(context -> {
            holder[0] = context;
            SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
            assertThat(relay.group().runners().get(0).config().closeTimeout()).isEqualTo(closeTimeout);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> relay.group().runners().get(0).metrics().appendedOffset() >= 300);
            long started = System.nanoTime();
            context.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            // The runner's bound (close timeout + its fixed grace) plus room for a slow machine.
            assertThat(took).isLessThan(closeTimeout.plus(Duration.ofSeconds(15)));
            assertThat(relay.isRunning()).isFalse();
            assertThat(relay.group().states().values()).allMatch(RunnerState::isTerminal);
        });
        assertThat(holder[0].isActive()).isFalse();
        // Nothing was committed, so nothing was deleted: the next start sends these rows.
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET")).isZero();
        assertThat(pending()).isEqualTo(300);
        emulator.resumeCommits();
        runner(Map.of()).run(context -> await().atMost(Duration.ofSeconds(60))
                .until(() -> context.getBean(SnowpipeRelay.class).group().isDrained()));
        assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT ID) FROM TICKET")).isEqualTo(300);
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET")).isEqualTo(300);
        assertThat(RunnerConfig.DEFAULT_CLOSE_TIMEOUT).isGreaterThan(closeTimeout);
    }
}
