package io.snowpiperelay.examples.cli;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.postgres.FleetListener;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.postgres.RelayFleet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * {@code relay --fleet}: this process joins a {@link RelayFleet} over a PostgreSQL outbox and relays its share of the
 * ski-resort streams' partitions; start several, on one machine or many, and they split the partitions between them.
 * Prints one line per lease event, for people and for the tests that drive several processes:
 * <pre>
 * FLEET READY &lt;member&gt;
 * FLEET CLAIMED &lt;channel&gt; &lt;epoch&gt;
 * FLEET LOST &lt;channel&gt; &lt;epoch&gt; &lt;reason&gt;
 * FLEET RELEASED &lt;channel&gt; &lt;epoch&gt;
 * FLEET CLOSED &lt;member&gt;
 * </pre>
 * Credentials come from {@code --outbox-user} / {@code --outbox-password} (or {@code PGUSER} / {@code PGPASSWORD});
 * neither they nor the JDBC URL are printed.
 */
final class FleetRelay {

    /** Lines start with this. */
    static final String MARKER = "FLEET";

    /** What {@code relay --fleet} was given. */
    record Settings(DataSource dataSource, String tablePrefix, List<SkiTable> tables, int partitions,
                    String memberId, Duration lease, Duration heartbeat, Duration renewMargin, String database,
                    String schema) {
    }

    private FleetRelay() {
    }

    /** Runs the member until the process is stopped (SIGTERM, Ctrl-C); returns the exit code. */
    static int run(Settings settings, ClientProfile profile, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        PostgresOutboxConfig.Builder config = PostgresOutboxConfig.builder().tablePrefix(settings.tablePrefix());
        for (SkiTable table : settings.tables()) {
            config.partitions(table.streamName(), settings.partitions());
        }
        PostgresOutbox outbox = PostgresOutbox.open(settings.dataSource(), config.build());
        RelayFleet.Builder builder = RelayFleet.builder()
                .outbox(outbox)
                .profile(profile)
                .leaseDuration(settings.lease())
                .heartbeatInterval(settings.heartbeat())
                .renewMargin(settings.renewMargin())
                // A released partition's drain should end well within a lease, so a joining member gets its share.
                .runnerConfig(RunnerConfig.builder().closeTimeout(min(RunnerConfig.DEFAULT_CLOSE_TIMEOUT,
                        settings.lease())).build())
                .listener(new PrintingListener(out));
        if (settings.memberId() != null) {
            builder.memberId(settings.memberId());
        }
        for (SkiTable table : settings.tables()) {
            builder.stream(table.streamName(), PipeName.of(settings.database(), settings.schema(), table.pipeName()),
                    table.tableName());
        }
        RelayFleet fleet = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // SIGTERM / Ctrl-C: drain and release every partition (bounded), then leave the fleet.
            fleet.close();
            outbox.close();
            synchronized (out) {
                out.println(MARKER + " CLOSED " + fleet.memberId());
                out.flush();
            }
            stopped.countDown();
        }, "ski-resort-fleet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        fleet.start();
        synchronized (out) {
            out.println(MARKER + " READY " + fleet.memberId());
            out.println("Fleet member " + fleet.memberId() + " relaying " + settings.tables() + " ("
                    + settings.partitions() + " partitions each) from " + outbox.table() + " to "
                    + settings.database() + "." + settings.schema());
            out.flush();
        }
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            // runs until stopped; the listener prints what changes
        }
        return 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Prints every lease event as one {@code FLEET ...} line. */
    private static final class PrintingListener implements FleetListener {
        private final PrintWriter out;

        PrintingListener(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void claimed(String member, String stream, int partition, long epoch, String channel) {
            print(MARKER + " CLAIMED " + channel + " " + epoch);
        }

        @Override
        public void lost(String member, String stream, int partition, long epoch, String reason) {
            print(MARKER + " LOST " + stream + "_P" + partition + " " + epoch + " " + reason);
        }

        @Override
        public void released(String member, String stream, int partition, long epoch) {
            print(MARKER + " RELEASED " + stream + "_P" + partition + " " + epoch);
        }

        @Override
        public void rebalanced(String member, int liveMembers, int owned, int target) {
            print(MARKER + " SHARE " + target + " of " + liveMembers + " member(s), holding " + owned);
        }

        private void print(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }
}
