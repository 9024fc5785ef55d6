package io.snowpiperelay.examples.cli;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.RelayException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.examples.dashboard.DashboardServer;
import io.snowpiperelay.examples.dashboard.RelayMeters;
import io.snowpiperelay.examples.dashboard.RelayTimeline;
import io.snowpiperelay.examples.dashboard.ReportCache;
import io.snowpiperelay.examples.generator.OutboxWriter;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.report.SkiResortReport;
import io.snowpiperelay.examples.report.TextTable;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}: generate, relay and report in one process, on the embedded emulator unless {@code --profile}
 * names a real account. Exit 0 when every generated row was committed exactly once (and, on the emulator, the
 * tables hold exactly the generated rows), 1 otherwise.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
                "Runs the whole example in one process: starts an embedded Snowpipe Streaming emulator loaded with"
                        + " docs/snowflake-setup.sql, generates ski-resort events into a fresh SQLite outbox (or a PostgreSQL one) at"
                        + " --rate for --seconds, relays them while they are generated (one channel per table,"
                        + " exactly once), waits until every row is committed and the outbox is empty, then prints"
                        + " the report.",
                "With --profile it runs the same against a real Snowflake account (run docs/snowflake-setup.sql"
                        + " there first).",
                "With --dashboard it also serves a live dashboard on http://127.0.0.1:" + DashboardServer.DEFAULT_PORT
                        + "/ (relay progress, the report's charts, /metrics) and keeps serving after the run until"
                        + " Ctrl-C or --dashboard-linger.",
                "Exit code 0 when every count matches, 1 otherwise."},
        sortOptions = false)
public final class DemoCommand implements Callable<Integer> {

    /** Default event rate. */
    public static final double DEFAULT_RATE = 3_000;
    /** Default duration of the generation. */
    public static final int DEFAULT_SECONDS = 60;
    private static final Duration RENDER_INTERVAL = Duration.ofMillis(250);

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Run against a real Snowflake account with this SDK profile.json instead of the embedded"
                    + " emulator (see docs/getting-started.md).")
    Path profile;

    @Option(names = "--rows", paramLabel = "N",
            description = "Events to generate, all tables together (default: --rate x --seconds).")
    Long rows;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Events per second (default: " + (int) DEFAULT_RATE + ", or --rows / --seconds when both"
                    + " are given); 0 for as fast as possible.")
    Double rate;

    @Option(names = "--seconds", paramLabel = "S",
            description = "How long to generate for (default: " + DEFAULT_SECONDS + ").")
    Integer seconds;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Random seed; the same seed gives the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--channels-per-table", paramLabel = "N", defaultValue = "1",
            description = "Channels (and outbox streams) per table (default: ${DEFAULT-VALUE}).")
    int channelsPerTable;

    @Option(names = "--outbox", paramLabel = "FILE|JDBC_URL",
            description = "Outbox file to create (must not exist), or a PostgreSQL database,"
                    + " jdbc:postgresql://HOST:PORT/DB (with --outbox-user and --outbox-password), whose ski-resort"
                    + " streams must be empty; default: a new file in a temporary directory.")
    String outbox;

    @Mixin
    OutboxCredentials credentials;

    @Option(names = "--store", paramLabel = "FILE",
            description = "Emulator only: keep the landed rows in this SQLite file (query it later with"
                    + " 'report --store'); default: in memory.")
    Path store;

    @Option(names = "--commit-lag", paramLabel = "DURATION", defaultValue = "300ms", converter = DurationConverter.class,
            description = "Emulator only: delay between an append and its commit (default: ${DEFAULT-VALUE}).")
    Duration commitLag;

    @Mixin
    PipeOptions pipes;

    @Option(names = "--plain",
            description = "Print a status line every 5 s instead of redrawing the live view (automatic when the"
                    + " output is not a terminal).")
    boolean plain;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up (exit 1) if not done after this long (default: 1.5 x the generation time + 2m).")
    Duration timeout;

    @Option(names = "--dashboard",
            description = "Serve a live dashboard on 127.0.0.1 (the URL is printed at start-up): per table generated,"
                    + " in the outbox and committed, rows/s and commit lag over time, and the report's charts,"
                    + " refreshed every few seconds. After the run it keeps serving until Ctrl-C or"
                    + " --dashboard-linger.")
    boolean dashboard;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "" + DashboardServer.DEFAULT_PORT,
            description = "With --dashboard: the port on 127.0.0.1, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--dashboard-linger", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --dashboard: stop serving this long after the run and exit (default: serve until"
                    + " Ctrl-C).")
    Duration dashboardLinger;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private boolean interruptedWhileLingering;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = plan();
        // Embedded use (not through SkiResort.main): still keep the SDK's native core off stdout.
        SkiResort.quietNativeLog();
        boolean postgres = SkiOutbox.isPostgres(outbox);
        Path outboxFile = postgres ? null
                : outbox != null ? Path.of(outbox) : Files.createTempDirectory("ski-resort-demo-").resolve("outbox.db");
        if (outboxFile != null && Files.exists(outboxFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--outbox " + outboxFile + " already exists;"
                    + " the demo starts from a new outbox (use 'generate' and 'relay' to add to one)");
        }
        // A new outbox starts its offsets at 1 again, so it gets channels of its own (see SkiResortRelay).
        String channelPrefix = "SKI_RESORT_DEMO_"
                + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));

        SnowpipeEmulator emulator = null;
        Resources resources = new Resources();
        AtomicBoolean stop = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stop.set(true);
            resources.close();
        }, "ski-resort-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ClientProfile clientProfile;
            String target;
            if (profile == null) {
                emulator = EmulatorCommand.start(0, store, commitLag);
                resources.emulator = emulator;
                clientProfile = ClientProfile.fromProperties(emulator.clientProperties());
                target = "embedded Snowpipe Streaming emulator at " + emulator.url()
                        + " (objects from docs/snowflake-setup.sql)";
            } else {
                clientProfile = ClientProfile.fromJsonFile(profile);
                target = "Snowflake account " + clientProfile.account() + " as " + clientProfile.user();
            }
            SkiOutbox box = postgres ? SkiOutbox.open(outbox, credentials, true)
                    : SkiOutbox.open(outboxFile.toString(), OutboxCredentials.none(), true);
            resources.outbox = box;
            requireEmptyStreams(box);
            out.printf(Locale.ROOT, "Ski-resort demo: %s events (seed %d), %s%n", TextTable.number(plan.rows), seed,
                    plan.rate > 0 ? "about " + TextTable.number(Math.round(plan.rate)) + " events/s for "
                            + formatSeconds(plan.rows / plan.rate) : "as fast as possible");
            out.println("  into   " + target);
            out.println("  via    outbox " + box.location() + " (" + (channelsPerTable == 1 ? "one stream"
                    : channelsPerTable + " streams") + " per table) and "
                    + 3 * channelsPerTable + " channels on " + pipes.database + "." + pipes.schema
                    + ".{RESORT_TICKET,SEASON_PASS,LIFT_RIDE}_PIPE, exactly once");
            out.flush();

            SkiResortRelay relay = SkiResortRelay.open(box, clientProfile, pipes.database, pipes.schema,
                    channelsPerTable, channelPrefix, new RelayListener() { });
            resources.relay = relay;
            OutboxWriter writer = new OutboxWriter(box, new SkiResortGenerator(seed), channelsPerTable);
            RelayTimeline timeline = null;
            if (dashboard) {
                DashboardServer server = startDashboard(relay, box, writer, emulator, plan.rows);
                resources.dashboard = server;
                timeline = server.timeline();
                timeline.phase("generating");
                out.println("  see    " + server.url() + " (live dashboard)");
            }
            out.println();
            out.flush();
            relay.start();

            ExecutorService generatorThread = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "ski-resort-generator");
                thread.setDaemon(true);
                return thread;
            });
            resources.generator = generatorThread;
            Future<Long> generation = generatorThread.submit(() -> writer.write(plan.rows, plan.rate, stop::get));

            RelayStatus status = new RelayStatus(relay, box, writer::written);
            LiveView view = new LiveView(out, !plain && LiveView.isTerminal(), plan.rows);
            Duration limit = timeout != null ? timeout : plan.defaultTimeout();
            long deadline = System.nanoTime() + limit.toNanos();
            RelayStatus.Snapshot snapshot;
            while (true) {
                snapshot = status.sample();
                view.render(snapshot);
                if (stop.get()) {
                    err.println("stopped");
                    err.flush();
                    return 130;
                }
                if (generation.isDone()) {
                    generation.get(); // surfaces a generator failure
                    if (timeline != null) {
                        timeline.phase("draining");
                    }
                }
                Map<String, Throwable> failures = relay.failures();
                if (!failures.isEmpty()) {
                    phase(timeline, "failed");
                    view.finish(snapshot);
                    failures.forEach((channel, error) -> err.println("channel " + channel + " failed: "
                            + error.getMessage()));
                    err.flush();
                    return 1;
                }
                if (generation.isDone() && relay.isDrained() && snapshot.inOutbox() == 0
                        && snapshot.committed() >= writer.writtenTotal()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    phase(timeline, "failed");
                    view.finish(snapshot);
                    err.println("not done after " + limit + ": " + TextTable.number(snapshot.committed()) + " of "
                            + TextTable.number(writer.writtenTotal()) + " rows committed");
                    err.flush();
                    return 1;
                }
                LockSupport.parkNanos(RENDER_INTERVAL.toNanos());
                if (Thread.interrupted()) {
                    throw new InterruptedException("demo interrupted");
                }
            }
            view.finish(status.sample());
            phase(timeline, "done");
            Map<SkiTable, Long> generated = new EnumMap<>(SkiTable.class);
            for (SkiTable table : SkiTable.values()) {
                generated.put(table, writer.written(table));
            }
            // Everything is committed and deleted: close the channels before reporting.
            Map<String, Long> committedByChannel = new LinkedHashMap<>();
            relay.metrics().forEach((channel, m) -> committedByChannel.put(channel, m.committedOffset()));
            relay.close();
            out.println();
            out.printf(Locale.ROOT, "Done in %s: %s rows generated, relayed and committed.%n%n",
                    formatSeconds(snapshot.elapsed().toMillis() / 1000.0), TextTable.number(writer.writtenTotal()));

            boolean ok;
            if (emulator != null) {
                SnowpipeEmulator landed = emulator;
                SkiResortReport report = SkiResortReport.run(sql -> landed.query(sql), generated);
                report.print(out);
                ok = report.countsMatch();
                if (store != null) {
                    out.println();
                    out.println("The rows stay in " + store + ": java -jar ski-resort.jar report --store " + store);
                }
            } else {
                List<RelayCounts.Line> lines = new ArrayList<>();
                for (SkiResortRelay.Channel channel : relay.channels()) {
                    lines.add(new RelayCounts.Line(channel.table(), channel.stream(), channel.channel(),
                            box.appendedCount(channel.stream()),
                            committedByChannel.getOrDefault(channel.channel(), 0L)));
                }
                ok = RelayCounts.print(lines, pipes.database, pipes.schema, out);
            }
            out.println();
            out.println(ok ? "OK: every count matches." : "FAILED: the counts do not match (see above).");
            out.flush();
            if (resources.dashboard != null) {
                lingerWithDashboard(resources.dashboard, stop, out);
            }
            return ok ? 0 : 1;
        } catch (ExecutionException e) {
            err.println("generation failed: " + e.getCause());
            err.flush();
            return 1;
        } catch (RelayException e) {
            err.println("relay failed: " + e.getMessage());
            err.flush();
            return 1;
        } finally {
            resources.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running.
            }
            if (outbox == null && outboxFile != null) {
                deleteQuietly(outboxFile);
            }
            if (interruptedWhileLingering) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A usage error unless the streams the demo writes are empty: the report compares what this run generated with
     * what landed. (A new SQLite file always passes; a PostgreSQL outbox may hold an earlier run's rows.)
     */
    private void requireEmptyStreams(SkiOutbox box) {
        for (SkiTable table : SkiTable.values()) {
            for (String stream : StreamLayout.streams(table, channelsPerTable)) {
                long pending = box.pendingCount(stream);
                if (pending > 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--outbox " + box.location()
                            + ": stream " + stream + " still holds " + pending + " rows; the demo starts from empty"
                            + " streams (relay them first with 'relay --until-drained')");
                }
            }
        }
    }

    /** Starts the dashboard over the relay's Micrometer meters and, on the emulator, the report's queries. */
    private DashboardServer startDashboard(SkiResortRelay relay, SkiOutbox box, OutboxWriter writer,
            SnowpipeEmulator emulator, long targetRows) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        relay.bindMetrics(registry);
        RelayTimeline timeline = RelayTimeline.start(new RelayMeters(registry, relay.channels(), box, writer::written),
                targetRows, RelayTimeline.DEFAULT_INTERVAL);
        ReportCache report;
        if (emulator != null) {
            report = ReportCache.start(sql -> emulator.query(sql), () -> {
                Map<SkiTable, Long> generated = new EnumMap<>(SkiTable.class);
                for (SkiTable table : SkiTable.values()) {
                    generated.put(table, writer.written(table));
                }
                return generated;
            }, ReportCache.DEFAULT_INTERVAL);
        } else {
            report = ReportCache.unavailable("On a Snowflake account the landed rows are queried in Snowflake: the"
                    + " dynamic tables of docs/snowflake-setup.sql hold these reports.");
        }
        try {
            return DashboardServer.start(timeline, null, report, registry, dashboardPort);
        } catch (IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard-port: " + e.getMessage());
        }
    }

    /** Keeps the dashboard up after the run: until Ctrl-C, an interrupt, or {@code --dashboard-linger}. */
    private void lingerWithDashboard(DashboardServer server, AtomicBoolean stop, PrintWriter out) {
        out.println();
        out.println("The dashboard stays at " + server.url() + (dashboardLinger == null ? " until Ctrl-C."
                : " for " + formatSeconds(dashboardLinger.toMillis() / 1000.0) + " (Ctrl-C to stop sooner)."));
        out.flush();
        long end = dashboardLinger == null ? Long.MAX_VALUE : System.nanoTime() + dashboardLinger.toNanos();
        while (!stop.get() && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(RENDER_INTERVAL.toNanos());
            if (Thread.interrupted()) {
                // Whoever interrupted wants the demo to end: close everything first (closing waits, which an
                // interrupt would cut short), then restore the flag.
                interruptedWhileLingering = true;
                return;
            }
        }
    }

    private static void phase(RelayTimeline timeline, String phase) {
        if (timeline != null) {
            timeline.phase(phase);
        }
    }

    private Plan plan() {
        if (rows != null && rows < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rows is " + rows + "; allowed: 1 or more");
        }
        if (seconds != null && seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds is " + seconds
                    + "; allowed: 1 or more");
        }
        if (rate != null && rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate is " + rate + "; allowed: 0 or more");
        }
        try {
            StreamLayout.validate(channelsPerTable);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--channels-per-table: " + e.getMessage());
        }
        if (dashboardPort < 0 || dashboardPort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard-port is " + dashboardPort
                    + "; allowed: 0 (any free port) to 65535");
        }
        if (dashboardLinger != null && dashboardLinger.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard-linger is " + dashboardLinger
                    + "; allowed: 0 or more");
        }
        if (profile != null && store != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--store is for the embedded emulator;"
                    + " with --profile the rows land in Snowflake");
        }
        int s = seconds != null ? seconds : DEFAULT_SECONDS;
        double r;
        if (rate != null) {
            r = rate;
        } else if (rows != null && seconds != null) {
            r = rows / (double) seconds;
        } else {
            r = DEFAULT_RATE;
        }
        long n = rows != null ? rows : Math.max(1, Math.round((r > 0 ? r : DEFAULT_RATE) * s));
        return new Plan(n, r);
    }

    private record Plan(long rows, double rate) {
        Duration defaultTimeout() {
            double generationSeconds = rate > 0 ? rows / rate : rows / 20_000.0;
            return Duration.ofSeconds((long) (generationSeconds * 1.5) + 120);
        }
    }

    /** What the demo opened, closed once in reverse order (normally, or from the Ctrl-C hook). */
    private static final class Resources {
        volatile SnowpipeEmulator emulator;
        volatile SkiOutbox outbox;
        volatile SkiResortRelay relay;
        volatile ExecutorService generator;
        volatile DashboardServer dashboard;
        private final AtomicBoolean closed = new AtomicBoolean();

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (dashboard != null) {
                dashboard.close();
            }
            if (generator != null) {
                generator.shutdownNow();
                try {
                    generator.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (relay != null) {
                relay.close();
            }
            if (outbox != null) {
                outbox.close();
            }
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private static String formatSeconds(double seconds) {
        return seconds < 120 ? String.format(Locale.ROOT, "%.1f s", seconds)
                : String.format(Locale.ROOT, "%d min %d s", (long) seconds / 60, (long) seconds % 60);
    }

    private static void deleteQuietly(Path outboxFile) {
        try {
            Path dir = outboxFile.getParent();
            if (dir != null && dir.getFileName().toString().startsWith("ski-resort-demo-")) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // A temporary file left behind is harmless.
        }
    }
}
