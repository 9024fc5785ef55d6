package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/**
 * A fleet of {@code ski-resort relay --fleet} processes over one PostgreSQL outbox, under fire. Writer threads append
 * {@code LIFT_RIDE} events keyed by skier (each skier's {@code ACTIVATION_DAY_COUNT} counts 1, 2, 3, ...) the whole
 * time, while each round
 * <ol>
 *   <li>SIGKILLs a member: its partitions must be owned again within lease expiry + 5 s;</li>
 *   <li>starts a new member: it must get its share;</li>
 *   <li>stops a member gracefully (SIGTERM): the rest take its partitions;</li>
 *   <li>SIGSTOPs a member beyond its lease: the others take its partitions; after SIGCONT it must report the leases
 *       lost (it stops writing) and rejoin with its share;</li>
 *   <li>starts members again up to three.</li>
 * </ol>
 * At the end the writers stop, the fleet drains the outbox, and the emulator must hold every event exactly once, each
 * skier's events in order. Everything random comes from one seed, printed first.
 */
public final class FleetHarness {

    /**
     * What to run.
     *
     * @param seed       seed of every random choice
     * @param rounds     rounds of kill / join / graceful stop / pause
     * @param partitions partitions of the LIFT_RIDE stream
     * @param writers    writer threads, each one transaction of 1 to 10 events every 20 ms
     * @param lease      the members' lease duration
     * @param heartbeat  the members' heartbeat
     * @param margin     the members' renew margin
     * @param dir        working directory (store, profile, logs)
     */
    public record Settings(long seed, int rounds, int partitions, int writers, Duration lease, Duration heartbeat,
                           Duration margin, Path dir) {
    }

    /** What happened and what was found. */
    public record Result(long seed, int rounds, long written, long landed, long duplicates, long outOfOrder,
                         long outboxLeft, List<Duration> takeovers, int membersStarted, Duration elapsed) {

        /** One line for the build log. */
        public String summary() {
            return String.format(Locale.ROOT, "FLEET seed=%d rounds=%d members-started=%d written=%d landed=%d"
                            + " duplicates=%d out-of-order=%d outbox-left=%d takeovers=%s elapsed=%ds", seed, rounds,
                    membersStarted, written, landed, duplicates, outOfOrder, outboxLeft,
                    takeovers.stream().map(d -> d.toMillis() + "ms").toList(), elapsed.toSeconds());
        }
    }

    private static final String STREAM = "LIFT_RIDE";
    private static final int SKIERS = 200;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** The acceptance bound on a takeover after SIGKILL or SIGSTOP, beyond the lease. */
    public static final Duration TAKEOVER_SLACK = Duration.ofSeconds(5);

    private final Settings settings;
    private final DataSource dataSource;
    private final String jdbcUrl;
    private final String user;
    private final PostgresOutboxConfig config;
    private final Random random;
    private final AtomicLong written = new AtomicLong();
    private final long[] seqBySkier = new long[SKIERS];
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private final Map<String, RelayProcess> members = new LinkedHashMap<>();
    private final List<Duration> takeovers = new ArrayList<>();
    private int membersStarted;
    private Path profile;
    private long startedNanos;

    /**
     * @param dataSource the database the outbox lives in
     * @param jdbcUrl    the same database as a JDBC URL, for the members' JVMs
     * @param user       the role the members log in as (no password: the server trusts local logins)
     * @param tablePrefix the outbox table's name, unique to this run
     */
    public FleetHarness(Settings settings, DataSource dataSource, String jdbcUrl, String user, String tablePrefix) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.config = PostgresOutboxConfig.builder().tablePrefix(tablePrefix)
                .partitions(STREAM, settings.partitions()).build();
        this.random = new Random(settings.seed());
    }

    /** Runs the whole scenario and returns what it found; the caller asserts on the result. */
    public Result run() throws Exception {
        long started = System.nanoTime();
        startedNanos = started;
        System.out.println("FLEET seed=" + settings.seed() + " (rerun with -Dfleet.seed=" + settings.seed() + ")");
        Path dir = settings.dir();
        try (SnowpipeEmulator emulator = Emulators.skiResort(dir.resolve("store.db"), Duration.ofMillis(200));
             PostgresOutbox outbox = PostgresOutbox.open(dataSource, config)) {
            profile = Emulators.writeProfile(emulator.clientProperties(), dir.resolve("profile.json"));
            ScheduledThreadPoolExecutor writers = new ScheduledThreadPoolExecutor(settings.writers(), r -> {
                Thread thread = new Thread(r, "fleet-writer");
                thread.setDaemon(true);
                return thread;
            });
            try {
                for (int w = 0; w < settings.writers(); w++) {
                    Random rnd = new Random(random.nextLong());
                    writers.scheduleWithFixedDelay(() -> write(outbox, rnd), w * 5L, 20, TimeUnit.MILLISECONDS);
                }
                startMembers(3);
                awaitBalanced("three members started", START_TIMEOUT);
                phase("three members balanced");
                for (int round = 0; round < settings.rounds(); round++) {
                    round(round);
                }
            } finally {
                writers.shutdown();
                if (!writers.awaitTermination(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("writers did not stop");
                }
            }
            checkWriters();
            Awaitility.await("the fleet drains the outbox").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        checkMembersAlive();
                        return outbox.pendingCount(STREAM) == 0
                                && emulator.queryForLong("SELECT count(*) FROM LIFT_RIDE") >= written.get();
                    });
            phase("drained");
            members.values().forEach(RelayProcess::sigterm); // all at once: they drain in parallel
            for (Map.Entry<String, RelayProcess> member : members.entrySet()) {
                int exit = member.getValue().awaitExit(STOP_TIMEOUT);
                assertThat(exit == 0 || exit == 143, "member " + member.getKey() + " exited " + exit);
            }
            phase("members stopped");
            return verify(emulator, outbox, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            members.values().forEach(RelayProcess::close);
        }
    }

    private void round(int round) throws Exception {
        // 1. SIGKILL: the dead member's partitions are claimed again once its leases expire.
        String killed = randomMember();
        Set<String> before = partitionsOf(killed);
        long killedAt = System.nanoTime();
        members.remove(killed).kill();
        Duration bound = settings.lease().plus(TAKEOVER_SLACK);
        Awaitility.await("round " + round + ": partitions of SIGKILLed " + killed + " owned again within " + bound)
                .atMost(bound).pollInterval(Duration.ofMillis(100))
                .until(() -> allOwnedBy(members.keySet()));
        takeovers.add(Duration.ofNanos(System.nanoTime() - killedAt));
        phase("round " + round + ": " + killed + " SIGKILLed, its partitions taken over");
        assertThat(!before.isEmpty(), "the killed member " + killed + " owned partitions");

        // 2. A new member takes its share.
        String joined = startMember();
        awaitBalanced("round " + round + ": " + joined + " joined", START_TIMEOUT);
        phase("round " + round + ": " + joined + " joined and has its share");

        // 3. A graceful stop hands the partitions over at once.
        String stopped = randomMember();
        int exit = members.remove(stopped).terminate(STOP_TIMEOUT);
        assertThat(exit == 0 || exit == 143, "member " + stopped + " exited " + exit + " after SIGTERM");
        awaitBalanced("round " + round + ": " + stopped + " stopped gracefully", START_TIMEOUT);
        phase("round " + round + ": " + stopped + " stopped gracefully, balanced");

        // 4. SIGSTOP beyond the lease: the others take over; after SIGCONT it finds its leases lost and rejoins.
        String paused = randomMember();
        RelayProcess pausedProcess = members.get(paused);
        Set<String> others = new TreeSet<>(members.keySet());
        others.remove(paused);
        long pausedAt = System.nanoTime();
        pausedProcess.pause();
        try {
            Awaitility.await("round " + round + ": partitions of SIGSTOPped " + paused + " owned by the others")
                    .atMost(bound).pollInterval(Duration.ofMillis(100))
                    .until(() -> allOwnedBy(others));
            takeovers.add(Duration.ofNanos(System.nanoTime() - pausedAt));
        } finally {
            pausedProcess.resume();
        }
        pausedProcess.awaitLine(line -> line.startsWith("FLEET LOST "), "a LOST line after SIGCONT", START_TIMEOUT);
        awaitBalanced("round " + round + ": " + paused + " rejoined after SIGCONT", START_TIMEOUT);
        phase("round " + round + ": " + paused + " paused, lost its leases, rejoined");

        // 5. Back to three members for the next round.
        if (round + 1 < settings.rounds()) {
            startMembers(3 - members.size());
            awaitBalanced("round " + round + ": back to three members", START_TIMEOUT);
        }
    }

    private void phase(String what) {
        System.out.printf(Locale.ROOT, "FLEET +%.1fs %s%n", (System.nanoTime() - startedNanos) / 1e9, what);
    }

    /** Launches {@code count} members at once (JVM starts overlap), then waits until each is ready. */
    private void startMembers(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(launchMember());
        }
        for (String id : ids) {
            members.get(id).awaitLine(line -> line.startsWith("FLEET READY"), "FLEET READY", START_TIMEOUT);
        }
    }

    private String startMember() throws Exception {
        String id = launchMember();
        members.get(id).awaitLine(line -> line.startsWith("FLEET READY"), "FLEET READY", START_TIMEOUT);
        return id;
    }

    private String launchMember() throws Exception {
        String id = "m" + ++membersStarted;
        RelayProcess process = RelayProcess.start(settings.dir().resolve(id + ".stderr.log"), SkiResort.class,
                List.of(), Map.of(), "relay", "--fleet", "--outbox", jdbcUrl, "--outbox-user", user,
                "--table-prefix", config.tablePrefix(), "--profile", profile.toString(),
                "--streams", STREAM, "--partitions", Integer.toString(settings.partitions()),
                "--member-id", id, "--lease", millis(settings.lease()), "--heartbeat", millis(settings.heartbeat()),
                "--renew-margin", millis(settings.margin()));
        members.put(id, process);
        return id;
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }

    private String randomMember() {
        List<String> ids = new ArrayList<>(members.keySet());
        return ids.get(random.nextInt(ids.size()));
    }

    private void write(PostgresOutbox outbox, Random rnd) {
        if (writerFailure.get() != null) {
            return;
        }
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            int events = 1 + rnd.nextInt(10);
            // One writer at a time per skier keeps each skier's sequence in commit order.
            synchronized (seqBySkier) {
                for (int i = 0; i < events; i++) {
                    int skier = rnd.nextInt(SKIERS);
                    long txid = written.get() + i + 1;
                    outbox.append(tx, STREAM, "skier-" + skier, "{\"TXID\":\"" + txid + "\",\"RFID\":\"skier-"
                            + skier + "\",\"RESORT\":\"Vail\",\"LIFT\":\"Lift " + (txid % 7) + "\","
                            + "\"RIDE_TIME\":\"2026-01-15 09:30:00\",\"ACTIVATION_DAY_COUNT\":"
                            + ++seqBySkier[skier] + "}");
                }
                tx.commit();
                written.addAndGet(events);
            }
        } catch (Throwable t) {
            writerFailure.compareAndSet(null, t);
        }
    }

    private void checkWriters() {
        Throwable failure = writerFailure.get();
        if (failure != null) {
            throw new AssertionError("writer failed", failure);
        }
    }

    private void checkMembersAlive() {
        checkWriters();
        members.forEach((id, process) -> {
            if (!process.isAlive()) {
                throw new AssertionError("member " + id + " ended by itself:\n" + process.stderrTail(60));
            }
        });
    }

    /** Live owners by partition, from the lease table. */
    private Map<Integer, String> liveOwners() throws SQLException {
        Map<Integer, String> owners = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT partition, owner FROM "
                     + config.schema() + "." + config.tablePrefix() + "_lease WHERE stream = ? AND owner IS NOT NULL"
                     + " AND expires_at > clock_timestamp()")) {
            query.setString(1, STREAM);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    owners.put(rows.getInt(1), rows.getString(2));
                }
            }
        }
        return owners;
    }

    private Set<String> partitionsOf(String member) throws SQLException {
        Set<String> partitions = new TreeSet<>();
        liveOwners().forEach((partition, owner) -> {
            if (owner.equals(member)) {
                partitions.add(STREAM + "_P" + partition);
            }
        });
        return partitions;
    }

    private boolean allOwnedBy(Set<String> allowed) throws SQLException {
        checkMembersAlive();
        Map<Integer, String> owners = liveOwners();
        return owners.size() == settings.partitions() && allowed.containsAll(owners.values());
    }

    /** Every partition live, owned by a current member, each member within one of its fair share. */
    private void awaitBalanced(String what, Duration timeout) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!allOwnedBy(members.keySet())) {
                return false;
            }
            Map<String, Integer> counts = new HashMap<>();
            liveOwners().values().forEach(owner -> counts.merge(owner, 1, Integer::sum));
            int low = settings.partitions() / members.size();
            for (String member : members.keySet()) {
                int count = counts.getOrDefault(member, 0);
                if (count < low || count > low + 1) {
                    return false;
                }
            }
            return true;
        });
    }

    private Result verify(SnowpipeEmulator emulator, PostgresOutbox outbox, Duration elapsed) {
        long landed = emulator.queryForLong("SELECT count(*) FROM LIFT_RIDE");
        long distinct = emulator.queryForLong("SELECT count(DISTINCT TXID) FROM LIFT_RIDE");
        long outOfOrder = 0;
        Map<String, Long> last = new HashMap<>();
        for (Map<String, Object> row : emulator.query("SELECT RFID, ACTIVATION_DAY_COUNT FROM LIFT_RIDE ORDER BY rowid")) {
            String skier = String.valueOf(row.get("RFID"));
            long seq = ((Number) row.get("ACTIVATION_DAY_COUNT")).longValue();
            if (seq != last.getOrDefault(skier, 0L) + 1) {
                outOfOrder++;
            }
            last.put(skier, seq);
        }
        return new Result(settings.seed(), settings.rounds(), written.get(), landed, landed - distinct, outOfOrder,
                outbox.pendingCount(STREAM), List.copyOf(takeovers), membersStarted, elapsed);
    }

    private static void assertThat(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
