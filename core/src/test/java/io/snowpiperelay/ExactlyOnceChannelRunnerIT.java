package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.testing.GatedSource;
import io.snowpiperelay.testing.InMemorySource;
import io.snowpiperelay.testing.RecordingListener;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.Fault;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runner with the real SDK against the testkit emulator. */
class ExactlyOnceChannelRunnerIT {
    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceChannelRunnerIT.class);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String SQL = """
            CREATE DATABASE IF NOT EXISTS DB;
            CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.EVENTS (ID NUMBER(38,0) NOT NULL, V VARCHAR(16));
            """;
    static final PipeName PIPE = PipeName.defaultPipeOf("DB", "PUBLIC", "EVENTS");
    static final String CH = "EVENTS_it";

    SnowpipeEmulator emulator;
    final RecordingListener listener = new RecordingListener();
    final List<ExactlyOnceChannelRunner> runners = new ArrayList<>();
    InMemorySource source;

    @BeforeEach
    void startEmulator() {
        emulator = SnowpipeEmulator.builder().sql(SQL).commitLag(Duration.ofMillis(100)).start();
        source = new InMemorySource(() -> committed(CH));
    }

    @AfterEach
    void stop() {
        runners.forEach(ExactlyOnceChannelRunner::close);
        emulator.close();
    }

    long committed(String channel) {
        return emulator.committedOffsetToken("DB", "PUBLIC", PIPE.pipe(), channel).map(Long::parseLong).orElse(0L);
    }

    ClientProfile profile() {
        return ClientProfile.fromProperties(emulator.clientProperties());
    }

    RunnerConfig.Builder config() {
        return RunnerConfig.builder().commitPollInterval(Duration.ofMillis(100))
                .reopenBackoffInitial(Duration.ofMillis(50)).reopenBackoffMax(Duration.ofMillis(500))
                .closeTimeout(Duration.ofSeconds(10));
    }

    ExactlyOnceChannelRunner start(ExactlyOnceChannelRunner.Builder builder) {
        ExactlyOnceChannelRunner runner = builder.build();
        runners.add(runner);
        Thread t = new Thread(runner, "it-runner");
        t.setDaemon(true);
        t.start();
        return runner;
    }

    ExactlyOnceChannelRunner.Builder runner() {
        return ExactlyOnceChannelRunner.builder().profile(profile()).pipe(PIPE).channelName(CH).source(source)
                .listener(listener).config(config().build()).deadLetterHandler(d -> { });
    }

    long count(String sql) {
        return emulator.queryForLong(sql);
    }

    @Test
    void relaysEveryRowExactlyOnceThroughTheRealSdk() throws Exception {
        source.addRows(20_000);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(20_000);
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(20_000);
        assertThat(count("SELECT MAX(ID) FROM EVENTS")).isEqualTo(20_000);
        assertThat(source.remaining()).isZero();
        assertThat(source.violations()).isEmpty();
        assertThat(runner.metrics().committedOffset()).isEqualTo(20_000);

        runner.close();
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
    }

    @Test
    void reopensAndRewindsWhenTheServiceInvalidatesTheChannel() throws Exception {
        source.addRows(5_000);
        ExactlyOnceChannelRunner runner = start(runner());
        await().atMost(WAIT).until(() -> committed(CH) > 0);
        emulator.invalidateChannel("DB", "PUBLIC", PIPE.pipe(), CH);
        source.addRows(5_000);
        await().atMost(WAIT).until(() -> runner.metrics().reopenCount() >= 1 || runner.isDrained());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(10_000);
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(10_000);
        assertThat(source.violations()).isEmpty();
        log.info("reopen causes seen: {}", listener.reopenCauses);
    }

    @Test
    void anotherWriterThatKeepsTheChannelFencesTheRunnerWithoutATakeBack() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        ScheduledExecutorService competitor = Executors.newSingleThreadScheduledExecutor();
        try (SnowflakeStreamingIngestClient other = SnowflakeStreamingIngestClientFactory
                .builder("other-writer", "DB", "PUBLIC", PIPE.pipe()).setProperties(emulator.clientProperties()).build()) {
            // An aggressive second writer: re-opens the channel every 100 ms (each open bumps the sequencer).
            competitor.scheduleWithFixedDelay(() -> other.openChannel(CH).getChannel().close(), 0, 100,
                    TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> {
                source.addRows(20);
                return runner.state().isTerminal();
            });
            competitor.shutdown();
            assertThat(competitor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        Throwable failure = runner.failure().orElseThrow();
        log.info("fenced runner's failure: {}", failure.getMessage(), failure);
        assertThat(failure).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("another writer took channel " + CH);
        // Verified: SDK 1.1.2 passes the service's error code on in the InvalidChannelError's message, so the
        // runner recognises the stale sequencer instead of relying on the repeated-invalidation rule.
        assertThat(failure.getCause()).hasMessageContaining("STALE_CONTINUATION_TOKEN_SEQUENCER")
                .hasMessageContaining("InvalidChannelError");
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void anIdleSecondWriterKeepsTheChannelAndTheFirstStopsWithoutReopening() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        long opensBefore = emulator.requestCount(Endpoint.OPEN_CHANNEL);

        try (SnowflakeStreamingIngestClient other = SnowflakeStreamingIngestClientFactory
                .builder("idle-writer", "DB", "PUBLIC", PIPE.pipe()).setProperties(emulator.clientProperties()).build()) {
            // The second writer opens the channel once and then sends nothing.
            var theirs = other.openChannel(CH).getChannel();
            await().atMost(WAIT).until(() -> {
                source.addRows(5);
                return runner.state().isTerminal();
            });
            Throwable failure = runner.failure().orElseThrow();
            log.info("first writer's failure: {}", failure.getMessage());
            assertThat(failure).isInstanceOf(ChannelFencedException.class)
                    .hasMessageContaining("another writer took channel " + CH)
                    .hasMessageContaining("STALE_CONTINUATION_TOKEN_SEQUENCER");
            assertThat(runner.metrics().reopenCount()).isZero();
            assertThat(emulator.requestCount(Endpoint.OPEN_CHANNEL)).as("only the second writer's open")
                    .isEqualTo(opensBefore + 1);
            // The newcomer still owns the channel: its append goes through and commits.
            String next = Long.toString(runner.metrics().committedOffset() + 1_000_000);
            theirs.appendRow(java.util.Map.of("ID", 1_000_000, "V", "newcomer"), next);
            await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM EVENTS WHERE V = 'newcomer'") == 1);
            assertThat(theirs.isClosed()).isFalse();
        }
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void aServiceRestartIsSurvivedExactlyOnce() throws Exception {
        source.addRows(5_000);
        ExactlyOnceChannelRunner runner = start(runner());
        await().atMost(WAIT).until(() -> committed(CH) > 0);
        emulator.restart();
        source.addRows(5_000);
        await().atMost(WAIT).until(() -> runner.metrics().reopenCount() >= 1);
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(runner.failure()).isEmpty();
        assertThat(listener.reopenCauses).allSatisfy(c -> assertThat(c).hasMessageNotContaining(
                io.snowpiperelay.internal.PortException.STALE_SEQUENCER_CODE));
        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(10_000);
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(10_000);
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void aWrongKeyIsFatalWithAnAuthenticationError() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(gen.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Properties props = emulator.clientProperties();
        props.setProperty("private_key", pem);
        source.addRows(1);
        ExactlyOnceChannelRunner runner = start(runner().profile(ClientProfile.fromProperties(props)));
        await().atMost(WAIT).until(() -> runner.state().isTerminal());
        Throwable failure = runner.failure().orElseThrow();
        log.info("wrong key: {}", failure.toString());
        assertThat(failure).isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION))
                .hasMessageNotContaining("PRIVATE KEY");
    }

    @Test
    void anAppendWhoseAuthRetriesRunOutIsFatal() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        emulator.faults().add(Fault.status(401).times(1_000).on(Endpoint.APPEND));
        source.addRows(10);
        await().atMost(WAIT).until(() -> runner.state().isTerminal());
        Throwable failure = runner.failure().orElseThrow();
        log.info("append auth failure: {}", failure.getCause() == null ? failure : failure.getCause().getMessage());
        assertThat(failure).isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION));
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void transientServerErrorsAreRetriedBySdkAndNeverReachTheRunner() throws Exception {
        source.addRows(2_000);
        emulator.faults().add(Fault.status(503).times(3).on(Endpoint.APPEND));
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(2_000);
        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(2_000);
    }

    @Test
    void aMissingPipeIsFatalAndNamed() {
        source.addRows(1);
        ExactlyOnceChannelRunner runner = start(runner().pipe(PipeName.defaultPipeOf("DB", "PUBLIC", "NO_SUCH_TABLE")));
        await().atMost(WAIT).until(() -> runner.state().isTerminal());
        Throwable failure = runner.failure().orElseThrow();
        log.info("missing pipe: {}", failure.toString());
        assertThat(failure).isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OBJECT_NOT_FOUND))
                .hasMessageContaining("NO_SUCH_TABLE-STREAMING");
    }

    @Test
    void rowsTheServiceRejectsAreReportedFromTheChannelStatus() throws Exception {
        source.addRows(10);
        source.addJson("{\"id\": 11, \"v\": \"much too long for sixteen\"}");
        source.addRows(1);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> listener.rowErrors.get() == 1);
        assertThat(runner.metrics().rowErrorCount()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(11);
    }

    @Test
    void aCommittedTokenRewoundByTheServiceStopsTheRunner() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        emulator.rewindCommittedToken("DB", "PUBLIC", PIPE.pipe(), CH, "7");
        await().atMost(WAIT).until(() -> runner.state().isTerminal());
        assertThat(runner.failure().orElseThrow()).isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.COMMITTED_TOKEN_REGRESSED));
    }

    @Test
    void closeDrainsAndAReopenResumesWithoutDuplicates() throws Exception {
        source.addRows(3_000);
        ExactlyOnceChannelRunner first = start(runner());
        await().atMost(WAIT).until(() -> committed(CH) > 0);
        first.close();
        assertThat(first.state()).isEqualTo(RunnerState.CLOSED);
        long afterClose = committed(CH);
        assertThat(source.remainingOffsets()).allMatch(o -> o > afterClose);

        source.addRows(1_000);
        ExactlyOnceChannelRunner second = start(runner());
        assertThat(second.awaitDrained(WAIT)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(4_000);
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(4_000);
    }

    @Test
    void drainedIsNotReportedBeforeRowsRewoundByAReopenAreSentAgain() throws Exception {
        GatedSource gated = new GatedSource(source);
        emulator.stallCommits(WAIT);
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runner().source(gated).listener(new RelayListener() {
            @Override
            public void reopened(String channel, long resumeAfterOffset, Throwable cause) {
                gated.close(); // hold the first read after the rewind
            }
        }));
        await().atMost(WAIT).until(() -> runner.metrics().appendedOffset() == 100);
        int reads = source.reads();
        await().atMost(WAIT).until(() -> source.reads() > reads + 2); // the source ran empty

        emulator.invalidateChannel("DB", "PUBLIC", PIPE.pipe(), CH); // drops the 100 uncommitted rows
        source.addRows(1); // appended, then the source runs empty again; the flush meets the invalidation
        assertThat(gated.awaitHeldReader(WAIT.toSeconds())).isTrue();

        assertThat(runner.metrics().reopenCount()).isEqualTo(1);
        assertThat(runner.metrics().appendedOffset()).as("rewound").isZero();
        assertThat(runner.isDrained()).as("rows 1..101 are still to be sent again").isFalse();

        gated.open();
        emulator.resumeCommits();
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM EVENTS")).isEqualTo(101);
        assertThat(count("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(101);
        assertThat(source.remaining()).isZero();
    }

    @Test
    void aRecreatedSourceThatCannotVouchForItsRangeLosesNothingOnOpen() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner first = start(runner());
        assertThat(first.awaitDrained(WAIT)).isTrue();
        first.close();

        // The custom source is recreated: its offsets restart at 1 and it cannot tell what it ever issued.
        InMemorySource recreated = new InMemorySource(() -> committed(CH));
        recreated.reportHighestIssued(false);
        recreated.addRows(10);
        ExactlyOnceChannelRunner second = start(runner().source(recreated));
        await().atMost(WAIT).until(() -> recreated.reads() > 2); // past the open, in the loop

        assertThat(recreated.deletes()).as("rows never sent are not deleted on open").isEmpty();
        assertThat(recreated.remainingOffsets()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(second.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(second.metrics().committedOffset()).isEqualTo(100);
    }

    @Test
    void aTokenCommittedByAnotherWriterFencesTheRunnerAndIsNeverDeletedOn() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runner());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        try (SnowflakeStreamingIngestClient other = SnowflakeStreamingIngestClientFactory
                .builder("other-writer", "DB", "PUBLIC", PIPE.pipe()).setProperties(emulator.clientProperties()).build()) {
            var theirs = other.openChannel(CH).getChannel();
            theirs.appendRow(java.util.Map.of("ID", 1_000_000, "V", "other"), "1000000");
            // Our runner has nothing to send: only the committed token it reads can tell it.
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.state().isTerminal());
        }
        Throwable failure = runner.failure().orElseThrow();
        log.info("runner's failure after another writer committed: {}", failure.getMessage());
        assertThat(failure).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("another writer took channel " + CH).hasMessageContaining("1000000");
        assertThat(source.deletes()).allMatch(d -> d <= 100);
        assertThat(runner.metrics().deletedOffset()).isEqualTo(100);
    }
}
