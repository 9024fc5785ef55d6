package io.snowpiperelay.benchmarks;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.postgres.PartitionAssignment;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.postgres.RelayFleet;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows per second of a {@link RelayFleet} of 1, 2, 3... members draining one PostgreSQL outbox into the in-process
 * emulator, on this machine. Per run: fresh outbox tables, the members start and settle (every partition owned, each
 * member at its share), then one transaction commits all rows at once and the clock runs until the emulator holds
 * them all and the outbox is empty. The members run in this JVM (each with its own runners and SDK clients), so they
 * share this machine's cores as processes on one host would. Also prints how long the members took to settle (claim
 * every partition and open its channel), which includes building their SDK clients, and the process's threads then
 * (the SDK's native threads included), and the channel status requests per second the service received.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.snowpiperelay.benchmarks.FleetThroughput \
 *      [--members 1,2,3] [--partitions 6] [--rows 60000] [--repeats 3] [--postgres-url jdbc:postgresql://...]
 * </pre>
 * Prints one {@code FLEET-BENCH} line per run and a summary per member count (median and range of rows/s).
 */
public final class FleetThroughput {

    private static final String STREAM = "LIFT_RIDE";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private FleetThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int[] memberCounts = Arrays.stream(options.getOrDefault("--members", "1,2,3").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int partitions = Integer.parseInt(options.getOrDefault("--partitions", "6"));
        int rows = Integer.parseInt(options.getOrDefault("--rows", "60000"));
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "3"));
        Workload workload = Workload.LIFT_RIDE;
        try (PostgresBenchDatabase database = PostgresBenchDatabase.start(options.get("--postgres-url"));
             SnowpipeEmulator emulator = SnowpipeEmulator.builder().port(0).commitLag(Duration.ofMillis(200))
                     .sql(workload.setupSql()).start()) {
            ClientProfile profile = ClientProfile.fromProperties(emulator.clientProperties());
            System.out.printf(Locale.ROOT, "FLEET-BENCH on %s, %d partitions, %,d rows of %s per run, %d cores%n",
                    database.describe(), partitions, rows, workload, Runtime.getRuntime().availableProcessors());
            Map<Integer, List<Double>> rates = new HashMap<>();
            Map<Integer, List<Double>> settles = new HashMap<>();
            int run = 0;
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (int members : memberCounts) {
                    run++;
                    double[] result = runOnce(database, emulator, profile, workload, members, partitions, rows, run);
                    rates.computeIfAbsent(members, m -> new ArrayList<>()).add(result[0]);
                    settles.computeIfAbsent(members, m -> new ArrayList<>()).add(result[1]);
                    System.out.printf(Locale.ROOT, "FLEET-BENCH members=%d repeat=%d rows=%d rows/s=%.0f settled=%.2fs"
                            + " threads=%.0f status-requests/s=%.1f%n", members, repeat, rows, result[0], result[1],
                            result[2], result[3]);
                }
            }
            for (int members : memberCounts) {
                List<Double> list = sorted(rates.get(members));
                List<Double> settle = sorted(settles.get(members));
                System.out.printf(Locale.ROOT, "FLEET-BENCH summary members=%d median=%.0f rows/s range=%.0f-%.0f"
                        + " (%d runs); settled in %.2f s [%.2f-%.2f]%n", members, list.get(list.size() / 2),
                        list.get(0), list.get(list.size() - 1), list.size(), settle.get(settle.size() / 2),
                        settle.get(0), settle.get(settle.size() - 1));
            }
        }
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        copy.sort(Double::compare);
        return copy;
    }

    /** Threads of this process as the OS sees them (the SDK's native threads included), or -1 off Linux. */
    private static double osThreads() {
        String[] tasks = new java.io.File("/proc/self/task").list();
        return tasks == null ? -1 : tasks.length;
    }

    /**
     * Rows per second, the seconds the members took to settle, the process's threads once settled, and the channel
     * status requests per second the service received while the rows were relayed.
     */
    private static double[] runOnce(PostgresBenchDatabase database, SnowpipeEmulator emulator, ClientProfile profile,
                                  Workload workload, int memberCount, int partitions, int rows, int run)
            throws Exception {
        String prefix = "fleet_bench_r" + run;
        PostgresOutboxConfig config = PostgresOutboxConfig.builder().tablePrefix(prefix)
                .partitions(STREAM, partitions).build();
        emulator.query("DELETE FROM " + workload.table());
        List<RelayFleet> members = new ArrayList<>();
        try (PostgresOutbox outbox = PostgresOutbox.open(database.dataSource(), config)) {
            long starting = System.nanoTime();
            for (int m = 0; m < memberCount; m++) {
                RelayFleet member = RelayFleet.builder()
                        .outbox(outbox)
                        .profile(profile)
                        // Channels of their own per run: each run's outbox starts its offsets at 1 again.
                        .stream(STREAM, PipeName.of(Workload.DATABASE, Workload.SCHEMA, workload.pipe()),
                                workload.table() + "_R" + run)
                        .memberId("bench-" + run + "-" + m)
                        .leaseDuration(Duration.ofSeconds(6)).heartbeatInterval(Duration.ofSeconds(1))
                        .renewMargin(Duration.ofSeconds(2))
                        .runnerConfig(RunnerConfig.builder().closeTimeout(Duration.ofSeconds(5)).build())
                        .build();
                members.add(member);
                member.start();
            }
            awaitSettled(members, partitions);
            double settled = (System.nanoTime() - starting) / 1e9;
            double threads = osThreads();
            long statusBefore = emulator.requestCount(Endpoint.BULK_CHANNEL_STATUS);
            long statusFrom = System.nanoTime();
            long started;
            try (Connection tx = database.dataSource().getConnection()) {
                tx.setAutoCommit(false);
                for (int from = 0; from < rows; from += 10_000) {
                    outbox.appendAll(tx, STREAM, workload.payloads(from, Math.min(rows, from + 10_000)));
                }
                started = System.nanoTime();
                tx.commit();
            }
            long deadline = started + TIMEOUT.toNanos();
            while (emulator.queryForLong("SELECT count(*) FROM " + workload.table()) < rows
                    || outbox.pendingCount(STREAM) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not drained within " + TIMEOUT);
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double statusPerSecond = (emulator.requestCount(Endpoint.BULK_CHANNEL_STATUS) - statusBefore)
                    / ((System.nanoTime() - statusFrom) / 1e9);
            return new double[] {rows / seconds, settled, threads, statusPerSecond};
        } finally {
            members.forEach(RelayFleet::close);
            database.dropTables(prefix);
            try (Connection connection = database.dataSource().getConnection()) {
                connection.createStatement().execute("DROP TABLE IF EXISTS public.\"" + prefix + "_lease\", public.\""
                        + prefix + "_member\"");
            }
        }
    }

    /** Waits until every partition is owned and each member holds its share (within one). */
    private static void awaitSettled(List<RelayFleet> members, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int low = partitions / members.size();
        while (System.nanoTime() < deadline) {
            List<PartitionAssignment> assignments = members.get(0).assignments();
            boolean allLive = assignments.size() == partitions && assignments.stream().allMatch(PartitionAssignment::live);
            boolean even = members.stream().allMatch(m -> m.ownedChannels().size() >= low
                    && m.ownedChannels().size() <= low + 1
                    && m.runners().values().stream().allMatch(r -> r.state() == io.snowpiperelay.RunnerState.RUNNING));
            if (allLive && even) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the fleet did not settle within 2 minutes");
    }
}
