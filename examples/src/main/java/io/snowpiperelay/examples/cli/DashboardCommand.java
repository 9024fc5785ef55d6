package io.snowpiperelay.examples.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpiperelay.postgres.FleetLeases;
import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.examples.dashboard.ChannelProgress;
import io.snowpiperelay.examples.dashboard.DashboardServer;
import io.snowpiperelay.examples.dashboard.FleetTable;
import io.snowpiperelay.examples.dashboard.RelayReading;
import io.snowpiperelay.examples.dashboard.RelayTimeline;
import io.snowpiperelay.examples.dashboard.ReportCache;
import io.snowpiperelay.examples.dashboard.TableProgress;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.OutboxTableOptions;
import io.snowpiperelay.examples.outbox.PostgresSkiOutbox;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dashboard}: the live dashboard without running the demo, over an emulator's store (the report's
 * charts, refreshed as rows land) or a real account (the channels' committed offsets, read from Snowflake).
 */
@Command(name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
                "Serves the ski-resort dashboard on http://127.0.0.1:" + DashboardServer.DEFAULT_PORT + "/ until"
                        + " Ctrl-C, refreshed every few seconds.",
                "With --store (an emulator's SQLite store, e.g. of 'emulator --store FILE' while 'relay' runs, or"
                        + " of 'demo --store FILE'): the report's charts and rows per table, checked against"
                        + " --outbox when given.",
                "With --profile (real Snowflake): the channels' committed offsets, read from Snowflake every"
                        + " 10 s, against --outbox when given; the business reports are Snowflake's dynamic tables"
                        + " (docs/snowflake-setup.sql).",
                "With a PostgreSQL --outbox that 'relay --fleet' members share: a Fleet table of which member"
                        + " owns which partition, its lease epoch and expiry (docs/scaling-out.md)."},
        sortOptions = false)
public final class DashboardCommand implements Callable<Integer> {

    /** How often {@code --profile} reads the committed offsets from Snowflake. */
    static final Duration SNOWFLAKE_READ_INTERVAL = Duration.ofSeconds(10);

    @ArgGroup(exclusive = true, multiplicity = "1")
    LandedTarget target;

    @Option(names = "--outbox", paramLabel = "FILE|JDBC_URL",
            description = "The outbox the rows were generated into (an SQLite file, or a PostgreSQL database,"
                    + " jdbc:postgresql://HOST:PORT/DB): events generated and rows still in it.")
    String outbox;

    @Mixin
    OutboxCredentials credentials;

    @Mixin
    OutboxTableOptions outboxTables;

    @Option(names = {"--dashboard-port", "--port"}, paramLabel = "PORT",
            defaultValue = "" + DashboardServer.DEFAULT_PORT,
            description = "The port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dashboard-linger", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop serving after this long and exit (default: serve until Ctrl-C).")
    Duration linger;

    @Mixin
    RelayChannelOptions channels;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard-port is " + port
                    + "; allowed: 0 (any free port) to 65535");
        }
        LandedFiles.requireExistingOutbox(spec.commandLine(), outbox);
        LandedFiles.requireExisting(spec.commandLine(), "--store", target.store);
        PrintWriter out = spec.commandLine().getOut();
        SkiOutbox box = outbox == null ? null : LandedFiles.openExistingOutbox(outbox, credentials, outboxTables);
        Connection connection = null;
        DashboardServer server = null;
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            if (target.store != null) {
                Connection store = LandedFiles.openStoreReadOnly(target.store);
                connection = store;
                // Only the cache's one thread queries the connection.
                ReportCache report = ReportCache.start(sql -> ReportCommand.query(store, sql),
                        () -> box == null ? Map.of() : LandedFiles.issuedPerTable(box),
                        () -> LandedFiles.whereabouts(box, sql -> ReportCommand.query(store, sql)),
                        ReportCache.DEFAULT_INTERVAL);
                server = DashboardServer.start(null, "No relay runs in this process: the page shows what landed in "
                        + target.store.getFileName() + (box == null ? "" : ", against the outbox " + box.location())
                        + ".", report, fleetTable(box), registry, port);
            } else {
                ClientProfile profile = ClientProfile.fromJsonFile(target.profile);
                RelayTimeline timeline = RelayTimeline.start(snowflakeOffsets(profile, box), 0, SNOWFLAKE_READ_INTERVAL);
                timeline.phase("read from Snowflake");
                server = DashboardServer.start(timeline, "The relay runs elsewhere: committed offsets are read from "
                        + "Snowflake every " + SNOWFLAKE_READ_INTERVAL.toSeconds() + " s (appended = committed).",
                        ReportCache.unavailable("On a Snowflake account the landed rows are queried in Snowflake: the"
                                + " dynamic tables of docs/snowflake-setup.sql hold these reports."),
                        fleetTable(box), registry, port);
            }
            out.println("Ski-resort dashboard: " + server.url() + (linger == null ? " (Ctrl-C to stop)" : ""));
            out.flush();
            long end = linger == null ? Long.MAX_VALUE : System.nanoTime() + linger.toNanos();
            while (System.nanoTime() - end < 0) {
                LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return 0;
        } catch (IllegalStateException e) {
            if (server == null && e.getMessage() != null && e.getMessage().startsWith("the dashboard cannot listen")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard-port: " + e.getMessage());
            }
            throw e;
        } finally {
            if (server != null) {
                server.close();
            }
            if (connection != null) {
                connection.close();
            }
            if (box != null) {
                box.close();
            }
        }
    }

    /** The fleet's leases when {@code box} is a PostgreSQL outbox (absent from the page while it has none). */
    static FleetTable fleetTable(SkiOutbox box) {
        if (box instanceof PostgresSkiOutbox postgres) {
            return FleetTable.start(FleetLeases.of(postgres.outbox()));
        }
        return null;
    }

    /** Readings from Snowflake's committed offset tokens (and the outbox, when given). */
    private Supplier<RelayReading> snowflakeOffsets(ClientProfile profile, SkiOutbox box) {
        List<RelayChannelOptions.Channel> relayChannels = channels.channels(box);
        Map<PipeName, List<String>> channelsByPipe = channels.byPipe(relayChannels);
        return () -> {
            Map<String, Long> committed = CommittedOffsets.read(profile, channelsByPipe);
            Map<SkiTable, long[]> sums = new EnumMap<>(SkiTable.class); // generated, committed, in outbox
            for (SkiTable table : SkiTable.values()) {
                sums.put(table, new long[] {box == null ? -1 : 0, 0, box == null ? -1 : 0});
            }
            List<ChannelProgress> progress = new ArrayList<>();
            for (RelayChannelOptions.Channel channel : relayChannels) {
                long offset = committed.getOrDefault(channel.name(), 0L);
                long[] sum = sums.get(channel.table());
                sum[1] += offset;
                if (box != null) {
                    sum[0] += box.appendedCount(channel.stream());
                    sum[2] += box.pendingCount(channel.stream());
                }
                progress.add(new ChannelProgress(channel.name(), channel.table(), offset, offset, 0, 0, 0, false));
            }
            List<TableProgress> tables = new ArrayList<>();
            for (SkiTable table : SkiTable.values()) {
                long[] sum = sums.get(table);
                tables.add(new TableProgress(table, sum[0], sum[1], sum[1], sum[2], 0, 0));
            }
            return new RelayReading(tables, progress);
        };
    }
}
