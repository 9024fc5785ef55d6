package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.SourceRegressionException;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import io.snowpiperelay.testkit.SnowpipeEmulatorExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL outbox drained into Snowflake's stand-in by the real SDK: exactly once through restarts, under
 * concurrent writers whose transactions interleave, with bad payloads, and with a recreated outbox.
 */
class PostgresRelayIT {
    private static final Logger log = LoggerFactory.getLogger(PostgresRelayIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** How many rows inserted after a held transaction's must land before it is released. */
    private static final int ROWS_PAST_HELD = 150;
    private static final String SQL = """
            CREATE DATABASE IF NOT EXISTS DB;
            CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.RESTARTS (ID NUMBER(38,0) NOT NULL, ROUND NUMBER(38,0));
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.WRITES (ID NUMBER(38,0) NOT NULL, WRITER NUMBER(38,0));
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.LETTERS (ID NUMBER(38,0) NOT NULL, NAME VARCHAR(4000));
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.REGRESSION (ID NUMBER(38,0) NOT NULL);
            """;

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(
            SnowpipeEmulator.builder().commitLag(Duration.ofMillis(100)).sql(SQL));

    private final List<ExactlyOnceChannelRunner> runners = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        runners.forEach(ExactlyOnceChannelRunner::close);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        EMULATOR.emulator().resumeCommits();
    }

    private static PipeName pipe(String table) {
        return PipeName.defaultPipeOf("DB", "PUBLIC", table);
    }

    private static RunnerConfig.Builder config() {
        return RunnerConfig.builder().commitPollInterval(Duration.ofMillis(100))
                .idleBackoffMax(Duration.ofMillis(50))
                .reopenBackoffInitial(Duration.ofMillis(50)).reopenBackoffMax(Duration.ofMillis(500))
                .closeTimeout(Duration.ofSeconds(10));
    }

    private PostgresOutbox outbox(PostgresOutboxConfig config) {
        PostgresOutbox outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
        closeables.add(outbox);
        return outbox;
    }

    /** Starts a runner on the stream's relay source (also its dead-letter handler) on a thread of its own. */
    private ExactlyOnceChannelRunner relay(PostgresOffsetSource source, String table, String channel,
                                           RunnerConfig config) {
        ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
                .profile(ClientProfile.fromProperties(EMULATOR.clientProperties()))
                .pipe(pipe(table)).channelName(channel).source(source).deadLetterHandler(source)
                .config(config).build();
        runners.add(runner);
        Thread thread = new Thread(runner, "runner-" + channel);
        thread.setDaemon(true);
        thread.start();
        return runner;
    }

    private static long count(String sql) {
        return EMULATOR.emulator().queryForLong(sql);
    }

    private static Set<Long> ids(String table) {
        Set<Long> ids = new TreeSet<>();
        for (Map<String, Object> row : EMULATOR.emulator().query("SELECT ID FROM " + table)) {
            ids.add(((Number) row.get("ID")).longValue());
        }
        return ids;
    }

    // ----------------------------------------------------------------------------------------------- restarts

    @Test
    void everyRowLandsExactlyOnceThroughRelayRestarts() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        PostgresOutbox outbox = outbox(config);
        String stream = "RESTARTS";
        String channel = "RESTARTS_0";
        AtomicLong ids = new AtomicLong();

        // Round 1: a backlog drained, then a graceful stop.
        appendInTransactions(outbox, stream, 1, 2_000, ids);
        PostgresOffsetSource source = outbox.openSource(stream);
        ExactlyOnceChannelRunner runner = relay(source, stream, channel, config().build());
        assertThat(runner.awaitDrained(TIMEOUT)).isTrue();
        runner.close();
        source.close();
        assertThat(count("SELECT count(*) FROM RESTARTS")).isEqualTo(2_000);

        // Round 2: commits stall, rows are appended to the channel but not committed, and the relay stops anyway.
        source = outbox.openSource(stream);
        runner = relay(source, stream, channel, config().closeTimeout(Duration.ofMillis(500)).build());
        EMULATOR.emulator().stallCommits(Duration.ofMinutes(5));
        appendInTransactions(outbox, stream, 2, 1_000, ids);
        ExactlyOnceChannelRunner stalled = runner;
        await("round 2 appended").atMost(TIMEOUT).until(() -> stalled.metrics().appendedOffset() >= 3_000);
        runner.close();
        source.close();
        assertThat(outbox.pendingCount(stream)).as("unconfirmed rows stay in the outbox").isGreaterThanOrEqualTo(1);

        // Round 3: another process opens the outbox again, resumes from the committed token, more rows arrive.
        PostgresOutbox restarted = outbox(config);
        source = restarted.openSource(stream);
        closeables.add(source);
        runner = relay(source, stream, channel, config().build());
        EMULATOR.emulator().resumeCommits();
        appendInTransactions(restarted, stream, 3, 500, ids);
        assertThat(runner.awaitDrained(TIMEOUT)).isTrue();
        await("outbox drained").atMost(TIMEOUT).until(() -> restarted.pendingCount(stream) == 0);

        assertThat(count("SELECT count(*) FROM RESTARTS")).isEqualTo(3_500);
        assertThat(count("SELECT count(DISTINCT ID) FROM RESTARTS")).isEqualTo(3_500);
        assertThat(count("SELECT max(ID) FROM RESTARTS")).isEqualTo(3_500);
        assertThat(runner.metrics().committedOffset()).as("dense offsets: one per row").isEqualTo(3_500);
        assertThat(EMULATOR.emulator().committedOffsetToken("DB", "PUBLIC", pipe(stream).pipe(), channel))
                .contains("3500");
    }

    private static void appendInTransactions(PostgresOutbox outbox, String stream, int round, int rows,
                                             AtomicLong ids) throws Exception {
        try (Connection tx = POSTGRES.superuser().getConnection()) {
            tx.setAutoCommit(false);
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                batch.add("{\"ID\":" + ids.incrementAndGet() + ",\"ROUND\":" + round + "}");
                if (batch.size() == 250) {
                    outbox.appendAll(tx, stream, batch);
                    tx.commit();
                    batch.clear();
                }
            }
            outbox.appendAll(tx, stream, batch);
            tx.commit();
        }
    }

    // ------------------------------------------------------------------------------------ concurrent writers

    @Test
    void concurrentWritersWithLongAndRolledBackTransactionsLoseNothingAndDuplicateNothing() throws Exception {
        PostgresOutbox outbox = outbox(PostgresServerExtension.newConfig());
        String stream = "WRITES";
        PostgresOffsetSource source = outbox.openSource(stream);
        closeables.add(source);
        ExactlyOnceChannelRunner runner = relay(source, stream, "WRITES_0", config().build());

        int writerCount = 8;
        int transactionsPerWriter = 60;
        long seed = System.nanoTime();
        log.info("concurrent writers: seed {}", seed);
        AtomicLong ids = new AtomicLong();
        Set<Long> committed = ConcurrentHashMap.newKeySet();
        Set<Long> rolledBack = ConcurrentHashMap.newKeySet();
        // Two waves of transactions held open while the others commit and are relayed past them: writers 0 and 1
        // hold their first transaction, writers 2 and 3 one in the middle. Even writers commit theirs, odd roll back.
        HeldWave[] waves = {new HeldWave(2), new HeldWave(2)};

        ExecutorService writers = Executors.newFixedThreadPool(writerCount);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writerCount; w++) {
            int writer = w;
            Random random = new Random(seed + writer);
            done.add(writers.submit(() -> {
                try (Connection tx = POSTGRES.superuser().getConnection()) {
                    tx.setAutoCommit(false);
                    for (int t = 0; t < transactionsPerWriter; t++) {
                        int wave = writer < 2 && t == 0 ? 0 : writer >= 2 && writer < 4 && t == transactionsPerWriter / 2
                                ? 1 : -1;
                        List<Long> mine = new ArrayList<>();
                        int rows = 1 + random.nextInt(8);
                        for (int r = 0; r < rows; r++) {
                            long id = ids.incrementAndGet();
                            mine.add(id);
                            String payload = "{\"ID\":" + id + ",\"WRITER\":" + writer + "}";
                            if (random.nextBoolean()) {
                                outbox.append(tx, stream, payload);
                            } else {
                                outbox.appendAll(tx, stream, List.of(payload));
                            }
                        }
                        boolean commit;
                        if (wave >= 0) {
                            waves[wave].hold(mine);
                            commit = writer % 2 == 0;
                        } else {
                            commit = random.nextInt(5) != 0;
                        }
                        if (commit) {
                            tx.commit();
                            committed.addAll(mine);
                        } else {
                            tx.rollback();
                            rolledBack.addAll(mine);
                        }
                    }
                }
                return null;
            }));
        }

        for (HeldWave wave : waves) {
            long highestHeld = wave.awaitHeld();
            long heldSince = System.nanoTime();
            // The relay must hand out offsets for many rows inserted after the held ones while they are still open.
            await("rows inserted after the held transactions landed").atMost(TIMEOUT)
                    .until(() -> count("SELECT count(*) FROM WRITES WHERE ID > " + highestHeld) >= ROWS_PAST_HELD);
            wave.release();
            log.info("held transactions released after {} ms", (System.nanoTime() - heldSince) / 1_000_000);
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        for (Future<?> writer : done) {
            writer.get();
        }
        await("every committed row landed").atMost(TIMEOUT)
                .until(() -> count("SELECT count(*) FROM WRITES") >= committed.size() && outbox.pendingCount(stream) == 0
                        || runner.state().isTerminal());

        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(committed).hasSizeGreaterThan(500);
        assertThat(rolledBack).isNotEmpty().doesNotContainAnyElementsOf(committed);
        assertThat(count("SELECT count(*) FROM WRITES")).isEqualTo(committed.size());
        assertThat(count("SELECT count(DISTINCT ID) FROM WRITES")).isEqualTo(committed.size());
        assertThat(ids("WRITES")).as("exactly the committed rows").isEqualTo(new TreeSet<>(committed));
        await().atMost(TIMEOUT).until(() -> runner.metrics().committedOffset() == committed.size());
        assertThat(outbox.highestIssuedOffset(stream)).as("one offset per committed row, no gaps")
                .hasValue(committed.size());
    }

    /** Transactions held open together until the test releases them; every wait is bounded. */
    private static final class HeldWave {
        private final CountDownLatch held;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicLong highestHeldId = new AtomicLong();

        HeldWave(int transactions) {
            this.held = new CountDownLatch(transactions);
        }

        /** Called by a writer with its transaction open: waits until the test releases the wave. */
        void hold(List<Long> ids) throws InterruptedException {
            ids.forEach(id -> highestHeldId.accumulateAndGet(id, Math::max));
            held.countDown();
            if (!released.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("held transaction never released");
            }
        }

        /** Waits until every transaction of the wave is open and holding; returns the highest row id they hold. */
        long awaitHeld() throws InterruptedException {
            assertThat(held.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the wave's transactions are open").isTrue();
            return highestHeldId.get();
        }

        void release() {
            released.countDown();
        }
    }

    // ------------------------------------------------------------------------------------------- dead letters

    @Test
    void badPayloadsGoToTheDeadLetterTableAndTheStreamGoesOn() throws Exception {
        PostgresOutbox outbox = outbox(PostgresServerExtension.newConfig());
        String stream = "LETTERS";
        String oversized = "{\"ID\":9,\"NAME\":\"" + "x".repeat(2_000) + "\"}";
        outbox.appendAll(stream, List.of("{\"ID\":1,\"NAME\":\"a\"}", "{not json", "{\"ID\":3,\"NAME\":\"c\"}",
                "[1,2]", oversized, "{\"ID\":6,\"NAME\":\"f\"}"));
        PostgresOffsetSource source = outbox.openSource(stream);
        closeables.add(source);
        ExactlyOnceChannelRunner runner = relay(source, stream, "LETTERS_0", config().maxRowBytes(1_024).build());
        assertThat(runner.awaitDrained(TIMEOUT)).isTrue();
        await("outbox drained").atMost(TIMEOUT).until(() -> outbox.pendingCount(stream) == 0);

        assertThat(ids("LETTERS")).containsExactly(1L, 3L, 6L);
        List<DeadLetter> letters = outbox.deadLetters(stream);
        assertThat(letters).extracting(DeadLetter::offset).containsExactly(2L, 4L, 5L);
        assertThat(letters).extracting(DeadLetter::channel).containsOnly("LETTERS_0");
        assertThat(letters.get(0).payload()).isEqualTo("{not json");
        assertThat(letters.get(1).reason()).contains("not a JSON object");
        assertThat(letters.get(2).reason()).contains("above maxRowBytes 1024");
        assertThat(runner.metrics().deadLetterCount()).isEqualTo(3);
    }

    // ----------------------------------------------------------------------------------------- regression

    @Test
    void anOutboxRecreatedBelowTheCommittedTokenIsRefusedAndNothingIsDeleted() throws Exception {
        String stream = "REGRESSION";
        String channel = "REGRESSION_0";
        PostgresOutbox original = outbox(PostgresServerExtension.newConfig());
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            rows.add("{\"ID\":" + i + "}");
        }
        original.appendAll(stream, rows);
        PostgresOffsetSource first = original.openSource(stream);
        ExactlyOnceChannelRunner runner = relay(first, stream, channel, config().build());
        assertThat(runner.awaitDrained(TIMEOUT)).isTrue();
        runner.close();
        first.close();

        // The tables are lost and created anew (here: under another prefix): offsets start again from 1.
        PostgresOutbox recreated = outbox(PostgresServerExtension.newConfig());
        recreated.appendAll(stream, rows.subList(0, 10));
        PostgresOffsetSource source = recreated.openSource(stream);
        closeables.add(source);
        ExactlyOnceChannelRunner refused = relay(source, stream, channel, config().build());
        await("refused").atMost(TIMEOUT).until(() -> refused.state().isTerminal());

        assertThat(refused.state()).isEqualTo(RunnerState.FAILED);
        assertThat(refused.failure()).get().isInstanceOf(SourceRegressionException.class);
        SourceRegressionException e = (SourceRegressionException) refused.failure().orElseThrow();
        assertThat(e.committedOffset()).isEqualTo(100);
        assertThat(e.highestIssuedOffset()).isZero();
        assertThat(e.getMessage()).contains("outbox " + recreated.table() + ", stream " + stream);
        assertThat(recreated.pendingCount(stream)).as("nothing deleted").isEqualTo(10);
        assertThat(count("SELECT count(*) FROM REGRESSION")).as("nothing sent").isEqualTo(100);
    }
}
