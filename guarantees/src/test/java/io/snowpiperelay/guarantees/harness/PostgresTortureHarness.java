package io.snowpiperelay.guarantees.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.examples.generator.GeneratedEvent;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/**
 * Exactly once under fire, on a PostgreSQL outbox. A {@link PostgresRelayMain} in its own JVM relays the three
 * ski-resort streams into an in-process emulator with a durable store, while
 * <ul>
 *   <li>several writer threads append ski-resort events in transactions of random size, about one in seven rolled
 *       back, and now and then one <b>held open across the next kill</b> of the relay (then committed or rolled
 *       back): rows that become visible after the relay has stamped and sent later ones;</li>
 *   <li>the harness kills the relay with SIGKILL at random moments (after a random number of {@code APPENDED}
 *       markers, so before that append's commit is confirmed, or after a random delay) and starts it again.</li>
 * </ul>
 * At the end the writers stop, a last relay drains the outbox and closes gracefully, and the emulator's store must
 * hold every committed event exactly once, no rolled-back event, and the outbox must be empty. Everything random
 * comes from one seed, printed first.
 */
public final class PostgresTortureHarness {

    /**
     * What to run.
     *
     * @param seed          seed of every random choice
     * @param kills         SIGKILLs of the relay
     * @param writers       writer threads
     * @param ticksPerSecond transactions per second per writer (each of 1 to 20 events)
     * @param drainTimeout  how long the last relay may take to drain
     * @param dir           working directory (store, profile, logs)
     */
    public record Settings(long seed, int kills, int writers, int ticksPerSecond, Duration drainTimeout, Path dir) {
    }

    /** What happened and what was found. */
    public record Result(long seed, long committed, long rolledBack, int heldAcrossKills, int kills, long landed,
                         long duplicates, long missing, long unexpected, long outboxLeft, Duration elapsed) {

        /** One line for the build log. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "PG-TORTURE seed=%d committed=%d rolled-back=%d"
                            + " held-across-kills=%d kills=%d landed=%d duplicates=%d missing=%d unexpected=%d"
                            + " outbox-left=%d elapsed=%ds", seed, committed, rolledBack, heldAcrossKills, kills, landed,
                    duplicates, missing, unexpected, outboxLeft, elapsed.toSeconds());
        }
    }

    private static final String CHANNEL_PREFIX = "PGTORTURE";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration COMMIT_LAG = Duration.ofMillis(300);

    private final Settings settings;
    private final DataSource dataSource;
    private final String jdbcUrl;
    private final String user;
    private final PostgresOutboxConfig config;
    private final Random random;
    private final ObjectMapper json = new ObjectMapper();

    private final Map<SkiTable, Set<String>> committed = new EnumMap<>(SkiTable.class);
    private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
    private final Set<String> everyTxid = ConcurrentHashMap.newKeySet();
    private final AtomicLong committedRows = new AtomicLong();
    private final AtomicInteger heldAcrossKills = new AtomicInteger();
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    /** Counted down when the relay is killed next; writers holding a transaction across a kill wait on it. */
    private final AtomicReference<CountDownLatch> nextKill = new AtomicReference<>(new CountDownLatch(1));

    /**
     * @param dataSource a data source of the database the relay will use (the outbox is created there)
     * @param jdbcUrl    the same database as a JDBC URL, for the relay's JVM
     * @param user       the role the relay logs in as (no password: the server trusts local logins)
     */
    public PostgresTortureHarness(Settings settings, DataSource dataSource, String jdbcUrl, String user,
                                  PostgresOutboxConfig config) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.config = config;
        this.random = new Random(settings.seed());
        for (SkiTable t : SkiTable.values()) {
            committed.put(t, ConcurrentHashMap.newKeySet());
        }
    }

    /** Runs the whole scenario and returns what it found; the caller asserts on the result. */
    public Result run() throws Exception {
        long started = System.nanoTime();
        System.out.println("PG-TORTURE seed=" + settings.seed() + " (rerun with -Dtorture.seed=" + settings.seed() + ")");
        Path dir = settings.dir();
        Path stderr = dir.resolve("pg-relay.stderr.log");
        try (SnowpipeEmulator emulator = Emulators.skiResort(dir.resolve("store.db"), COMMIT_LAG);
             PostgresOutbox outbox = PostgresOutbox.open(dataSource, config)) {
            Path profile = Emulators.writeProfile(emulator.clientProperties(), dir.resolve("profile.json"));
            List<String> relayArgs = List.of("--outbox", jdbcUrl, "--user", user, "--table-prefix",
                    config.tablePrefix(), "--profile", profile.toString(), "--channel-prefix", CHANNEL_PREFIX,
                    "--delete-chunk-rows", "200");

            ScheduledThreadPoolExecutor writers = new ScheduledThreadPoolExecutor(settings.writers(), r -> {
                Thread th = new Thread(r, "pg-torture-writer");
                th.setDaemon(true);
                return th;
            });
            writers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            writers.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            int kills = 0;
            try {
                long periodMs = Math.max(1, 1000 / settings.ticksPerSecond());
                for (int w = 0; w < settings.writers(); w++) {
                    Writer writer = new Writer(outbox, new Random(random.nextLong()));
                    writers.scheduleAtFixedRate(writer::tick, w * 7L, periodMs, TimeUnit.MILLISECONDS);
                }
                for (int k = 0; k < settings.kills(); k++) {
                    checkWriters();
                    awaitNoRelaySession();
                    try (RelayProcess relay = RelayProcess.start(stderr, PostgresRelayMain.class, List.of(),
                            relayArgs.toArray(String[]::new))) {
                        relay.awaitLine(Markers.READY, READY_TIMEOUT);
                        if (random.nextBoolean()) {
                            int skip = random.nextInt(30);
                            for (int i = 0; i <= skip && relay.pollLine(l -> l.startsWith(Markers.APPENDED),
                                    MARKER_TIMEOUT) != null; i++) {
                                // kill right after a random number of appends, before their commit is confirmed
                            }
                        } else if (!relay.stillAliveAfter(Duration.ofMillis(300 + random.nextInt(3000)))) {
                            throw new AssertionError("relay ended by itself: " + relay.stderrTail(60));
                        }
                        if (!relay.fatalLines().isEmpty()) {
                            throw new AssertionError("relay failed: " + relay.fatalLines() + "\n" + relay.stderrTail(80));
                        }
                        relay.kill();
                        kills++;
                    }
                    nextKill.getAndSet(new CountDownLatch(1)).countDown();
                }
            } finally {
                writers.shutdown();
                nextKill.get().countDown();
                if (!writers.awaitTermination(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("writers did not stop");
                }
            }
            checkWriters();

            // The last relay: no more kills; it must drain everything and close cleanly.
            awaitNoRelaySession();
            try (RelayProcess relay = RelayProcess.start(stderr, PostgresRelayMain.class, List.of(),
                    relayArgs.toArray(String[]::new))) {
                relay.awaitLine(Markers.READY, READY_TIMEOUT);
                Awaitility.await("outbox drained by the last relay").atMost(settings.drainTimeout())
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            if (!relay.fatalLines().isEmpty() || !relay.isAlive()) {
                                throw new AssertionError("last relay failed: " + relay.fatalLines() + "\n"
                                        + relay.stderrTail(80));
                            }
                            return outboxLeft(outbox) == 0 && SkiTotals.landed(emulator) >= committedRows.get();
                        });
                int exit = relay.stopGracefully(Duration.ofSeconds(60));
                if (exit != 0) {
                    throw new AssertionError("last relay exited with " + exit + "\n" + relay.stderrTail(80));
                }
            }
            return verify(emulator, outbox, kills, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One writer: each tick is one transaction of 1 to 20 events; ticks of one writer never overlap. */
    private final class Writer {
        private final PostgresOutbox outbox;
        private final Random rnd;
        private final SkiResortGenerator generator;

        Writer(PostgresOutbox outbox, Random rnd) {
            this.outbox = outbox;
            this.rnd = rnd;
            this.generator = new SkiResortGenerator(rnd.nextLong());
        }

        void tick() {
            if (writerFailure.get() != null) {
                return;
            }
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                Map<SkiTable, List<String>> rows = new EnumMap<>(SkiTable.class);
                int events = 1 + rnd.nextInt(20);
                for (int i = 0; i < events; i++) {
                    GeneratedEvent e = generator.next();
                    rows.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e.json());
                }
                for (Map.Entry<SkiTable, List<String>> e : rows.entrySet()) {
                    outbox.appendAll(tx, e.getKey().streamName(), e.getValue());
                }
                boolean hold = rnd.nextInt(60) == 0;
                boolean commit = rnd.nextInt(7) != 0;
                if (hold) {
                    // Open across the next kill: its rows become visible after later rows were stamped and sent.
                    heldAcrossKills.incrementAndGet();
                    if (!nextKill.get().await(HOLD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("a held transaction waited " + HOLD_TIMEOUT + " for a kill");
                    }
                }
                if (commit) {
                    tx.commit();
                } else {
                    tx.rollback();
                }
                for (Map.Entry<SkiTable, List<String>> e : rows.entrySet()) {
                    for (String payload : e.getValue()) {
                        String txid = txid(payload);
                        if (!everyTxid.add(txid)) {
                            throw new IllegalStateException("generators repeated a TXID: " + txid);
                        }
                        if (commit) {
                            committed.get(e.getKey()).add(txid);
                        } else {
                            rolledBack.add(txid);
                        }
                    }
                    if (commit) {
                        committedRows.addAndGet(e.getValue().size());
                    }
                }
            } catch (Throwable t) {
                writerFailure.compareAndSet(null, t);
            }
        }
    }

    private String txid(String payload) {
        try {
            return json.readTree(payload).get("TXID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkWriters() {
        Throwable failure = writerFailure.get();
        if (failure != null) {
            throw new AssertionError("writer failed", failure);
        }
    }

    private void awaitNoRelaySession() {
        PostgresSessions.awaitNoRelaySession(dataSource, Duration.ofSeconds(30));
    }

    private static long outboxLeft(PostgresOutbox outbox) {
        return SkiTotals.outboxLeft(outbox::pendingCount);
    }

    private Result verify(SnowpipeEmulator emulator, PostgresOutbox outbox, int kills, Duration elapsed) {
        long landed = 0;
        long duplicates = 0;
        long missing = 0;
        long unexpected = 0;
        long committedTotal = 0;
        for (SkiTable t : SkiTable.values()) {
            Set<String> expected = committed.get(t);
            committedTotal += expected.size();
            Map<String, Object> counts = emulator.query("SELECT count(*) AS n, count(DISTINCT TXID) AS d FROM "
                    + t.tableName()).get(0);
            long n = ((Number) counts.get("n")).longValue();
            long d = ((Number) counts.get("d")).longValue();
            landed += n;
            duplicates += n - d;
            Set<String> landedKeys = new HashSet<>();
            for (Map<String, Object> row : emulator.query("SELECT DISTINCT TXID FROM " + t.tableName())) {
                landedKeys.add(String.valueOf(row.get("TXID")));
            }
            for (String k : expected) {
                if (!landedKeys.contains(k)) {
                    missing++;
                }
            }
            for (String k : landedKeys) {
                if (!expected.contains(k)) {
                    unexpected++; // a rolled-back event, or one nobody wrote
                }
            }
        }
        return new Result(settings.seed(), committedTotal, rolledBack.size(), heldAcrossKills.get(), kills, landed,
                duplicates, missing, unexpected, outboxLeft(outbox), elapsed);
    }
}
