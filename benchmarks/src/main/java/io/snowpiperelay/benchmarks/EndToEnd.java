package io.snowpiperelay.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end throughput tool: fills an outbox once, then measures in one run, against one emulator, one mode
 * after the other and repeated: {@code emulator-ingest} (the emulator alone), {@code sdk-ceiling} (pre-built rows
 * into {@code appendRows}), {@code relay} (the outbox through {@code RelayGroup}) and {@code naive} (the
 * quickstart's loop done correctly). Every mode uses fresh channels, and its rows are verified in the emulator
 * before the next starts. Writes a JSON report ({@code modes.<mode>.rowsPerSecond} medians, {@code ratios}).
 *
 * <pre>
 * SS_LOG_LEVEL=warn java -XX:+UseParallelGC -Xmx1g -cp benchmarks/target/benchmarks.jar \
 *     io.snowpiperelay.benchmarks.EndToEnd --table LIFT_RIDE --rows 2000000 --channels 4 --repeats 3 --out result.json
 * </pre>
 */
@Command(name = "EndToEnd", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures emulator-ingest, sdk-ceiling, relay and naive side by side against the emulator.")
public final class EndToEnd implements Callable<Integer> {

    static final List<String> ALL_MODES = List.of(Report.EMULATOR_INGEST, Report.CEILING, Report.RELAY, Report.NAIVE,
            Report.CEILING_DISCARD, Report.RELAY_DISCARD, Report.CEILING_MAPS);

    @Option(names = "--table", defaultValue = "LIFT_RIDE", converter = WorkloadConverter.class,
            description = "LIFT_RIDE (about 200 B/row) or RESORT_TICKET (about 550 B/row). Default: ${DEFAULT-VALUE}.")
    Workload workload;

    @Option(names = "--rows", defaultValue = "2000000", description = "Rows per mode and repeat. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--channels", defaultValue = "4",
            description = "Channels for sdk-ceiling, relay and emulator-ingest; naive always uses one. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of every mode. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--out", defaultValue = "result.json", description = "The JSON report. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--modes", split = ",", defaultValue = "emulator-ingest,sdk-ceiling,relay,naive",
            description = "Modes to run, in this order within a repeat; also sdk-ceiling-discard and relay-discard"
                    + " (against a server that throws rows away, in its own child JVM) and sdk-ceiling-maps (the"
                    + " ceiling with rows as plain maps, as an SDK user builds them). Default: ${DEFAULT-VALUE}.")
    List<String> modes;

    @Option(names = "--emulator", defaultValue = "fork",
            description = "fork: the emulator runs in a child JVM (its CPU and heap stay out of this JVM's figures);"
                    + " in-process: in this JVM. Default: ${DEFAULT-VALUE}.")
    String emulatorPlacement;

    @Option(names = "--emulator-jvm-args", split = " ", defaultValue = "-XX:+UseParallelGC -Xmx2g",
            description = "JVM arguments of the forked emulator. Default: ${DEFAULT-VALUE}.")
    List<String> emulatorJvmArgs;

    @Option(names = "--emulator-store", defaultValue = "memory",
            description = "memory: the emulator keeps rows in an in-memory SQLite database; file: in a file in the"
                    + " work directory. Rows are deleted after each mode is verified. Default: ${DEFAULT-VALUE}.")
    String emulatorStore;

    @Option(names = "--emulator-max-pending-mb", defaultValue = "1024",
            description = "The emulator's bound of appended but uncommitted data, above which it answers 503 (its own"
                    + " default is 64 MiB; the SDK answers a 503 with a backoff of a second or more, which an"
                    + " unpaced sdk-ceiling provokes); 0 keeps the emulator's default. Default: ${DEFAULT-VALUE}.")
    long emulatorMaxPendingMb;

    @Option(names = "--commit-lag-ms", defaultValue = "200",
            description = "The emulator's commit lag. Default: ${DEFAULT-VALUE}.")
    long commitLagMillis;

    @Option(names = "--max-append-rows", description = "Rows per appendRows call (relay, sdk-ceiling). Default: core's RunnerConfig default.")
    Integer maxAppendRows;

    @Option(names = "--max-append-bytes", description = "JSON bytes per appendRows call (relay, sdk-ceiling). Default: core's RunnerConfig default.")
    Integer maxAppendBytes;

    @Option(names = "--max-uncommitted-mb", description = "The relay's uncommitted window in JSON bytes per channel"
            + " (RunnerConfig maxUncommittedBytes). Default: core's RunnerConfig default.")
    Long maxUncommittedMb;

    @Option(names = "--commit-poll-ms", description = "The relay's committed-token poll interval (RunnerConfig"
            + " commitPollInterval). Default: core's RunnerConfig default.")
    Long commitPollMillis;

    @Option(names = "--sdk-property", paramLabel = "KEY=VALUE",
            description = "An SDK client property for every mode, on top of the emulator's (repeatable), e.g."
                    + " enable_rowset_compression=false. Recorded in the report.")
    Map<String, String> sdkProperties = new LinkedHashMap<>();

    @Option(names = "--naive-read-rows", defaultValue = "10000",
            description = "Rows per getData in the naive loop (the quickstart's BATCH_SIZE). Default: ${DEFAULT-VALUE}.")
    int naiveReadRows;

    @Option(names = "--ingest-request-rows", defaultValue = "2000",
            description = "Rows per pre-encoded append request of emulator-ingest. Default: ${DEFAULT-VALUE}.")
    int ingestRequestRows;

    @Option(names = "--timeout-seconds", defaultValue = "900",
            description = "The longest one mode may take before the run fails. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Option(names = "--warmup-rows", defaultValue = "200000",
            description = "Rows of one unreported pass of every mode before the repeats, so the JIT has compiled"
                    + " the hot paths (0: none; capped at --rows). Default: ${DEFAULT-VALUE}.")
    long warmupRows;

    @Option(names = "--jfr", description = "Records a JFR CPU profile (execution samples every 2 ms) of the measured"
            + " repeats only (not the fill nor the warm-up) into this file; summarise it with JfrSummary.")
    Path jfrFile;

    @Option(names = "--source", defaultValue = "sqlite",
            description = "The outbox the relay modes drain: sqlite (a file) or postgres (the transactional outbox in"
                    + " PostgreSQL, filled before every repeat; an embedded PostgreSQL 14 unless --postgres-url). The"
                    + " naive mode always reads SQLite. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--postgres-url", paramLabel = "JDBC_URL",
            description = "With --source postgres: the database to use instead of an embedded server (role and"
                    + " password from the environment variables PGUSER and PGPASSWORD).")
    String postgresUrl;

    @Option(names = "--work-dir", description = "Where the outbox files go. Default: a temporary directory, deleted at the end.")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        validate();
        int appendRows = maxAppendRows != null ? maxAppendRows : RunnerConfig.DEFAULT_MAX_APPEND_ROWS;
        int appendBytes = maxAppendBytes != null ? maxAppendBytes : RunnerConfig.DEFAULT_MAX_APPEND_BYTES;
        boolean ownWorkDir = workDir == null;
        Path dir = ownWorkDir ? Files.createTempDirectory("snowpipe-relay-bench") : Files.createDirectories(workDir);
        Set<String> selected = new LinkedHashSet<>(modes);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

        ObjectNode settings = new ObjectMapper().createObjectNode();
        settings.put("table", workload.table());
        settings.put("rows", rows);
        settings.put("channels", channels);
        settings.put("naiveChannels", 1);
        settings.put("repeats", repeats);
        settings.put("maxAppendRows", appendRows);
        settings.put("maxAppendBytes", appendBytes);
        settings.put("naiveReadRows", naiveReadRows);
        settings.put("relayConfig", relayConfig(appendRows, appendBytes).toString());
        settings.put("ingestRequestRows", ingestRequestRows);
        settings.put("commitLagMillis", commitLagMillis);
        settings.put("warmupRows", Math.min(warmupRows, rows));
        settings.put("emulatorPlacement", emulatorPlacement);
        settings.put("emulatorStore", emulatorStore);
        settings.put("emulatorMaxPendingMb", emulatorMaxPendingMb);
        settings.put("averagePayloadBytes", averagePayloadBytes());
        settings.put("source", source);
        Report report = new Report(settings);

        log("%s: %,d rows, %d channels (naive: 1), %d repeats, modes %s", workload, rows, channels, repeats, selected);
        try (EmulatorHandle emulator = startEmulator(dir)) {
            report.putExtra("emulatorProcess", emulator.describe());
            if (!sdkProperties.isEmpty()) {
                report.putExtra("sdkProperties", sdkProperties.toString());
            }
            if (isPostgres()) {
                postgres = PostgresBenchDatabase.start(postgresUrl);
                report.putExtra("postgres", postgres.describe());
                log("source: the PostgreSQL outbox on %s", postgres.describe());
            }
            ModeContext ctx = new ModeContext(withSdkProperties(emulator.clientProperties()), workload, rows,
                    channels, appendRows,
                    appendBytes, naiveReadRows, runId, timeoutSeconds * 1000, emulator, relayConfig(appendRows, appendBytes));
            Path runOutbox = dir.resolve("run-outbox.db");
            if (selected.contains(Report.CEILING_DISCARD) || selected.contains(Report.RELAY_DISCARD)) {
                discard = ForkedEmulator.start(workload.setupSql(), commitLagMillis, dir, emulatorJvmArgs, null, true, 0);
                report.putExtra("discardProcess", discard.describe());
            }
            if (warmupRows > 0) {
                long warmRows = Math.min(warmupRows, rows);
                ModeContext warmCtx = new ModeContext(ctx.clientProperties(), workload, warmRows, channels,
                        appendRows, appendBytes, naiveReadRows, runId + "w", ctx.timeoutMillis(), emulator,
                        ctx.relayConfig());
                Inputs warm = Inputs.prepare(warmCtx, selected, dir, ingestRequestRows, isPostgres());
                log("warm-up: every mode once with %,d rows (not reported)", warmRows);
                runPass(warmCtx, warm, selected, 0, runOutbox, null);
                warm.delete();
            }
            Inputs inputs = Inputs.prepare(ctx, selected, dir, ingestRequestRows, isPostgres());
            jdk.jfr.Recording recording = startRecording();
            for (int repeat = 1; repeat <= repeats; repeat++) {
                runPass(ctx, inputs, selected, repeat, runOutbox, report);
            }
            if (recording != null) {
                recording.stop();
                recording.dump(jfrFile);
                recording.close();
                log("JFR recording of the measured repeats: %s", jfrFile.toAbsolutePath());
            }
            inputs.delete();
            OutboxTemplate.deleteWithSidecars(runOutbox);
        } finally {
            if (discard != null) {
                discard.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (ownWorkDir) {
                deleteTree(dir);
            }
        }
        report.write(out);
        Path markdown = Path.of(out.toString().replaceAll("\\.json$", "") + ".md");
        Files.writeString(markdown, report.markdown());
        System.out.println();
        System.out.print(report.table());
        ObjectNode built = report.build();
        System.out.println("ratios: " + built.get("ratios"));
        System.out.println("report: " + out.toAbsolutePath() + " (and " + markdown.getFileName() + ")");
        if (!report.failures().isEmpty()) {
            report.failures().forEach(f -> System.err.println("NOT VERIFIED: " + f));
            return 1;
        }
        return 0;
    }

    /** The prepared inputs of one row count: outbox templates, pre-built rows, pre-encoded requests. */
    private record Inputs(OutboxTemplate relayTemplate, OutboxTemplate naiveTemplate, RowPool pool, RowPool mapsPool,
                          EmulatorIngestProbe probe) {

        static Inputs prepare(ModeContext ctx, Set<String> selected, Path dir, int ingestRequestRows,
                              boolean postgresSource) throws IOException {
            OutboxTemplate relayTemplate = null;
            OutboxTemplate naiveTemplate = null;
            // A PostgreSQL source is filled by PostgresRelayMode before every repeat.
            if (!postgresSource && (selected.contains(Report.RELAY) || selected.contains(Report.RELAY_DISCARD))) {
                long t0 = System.nanoTime();
                relayTemplate = OutboxTemplate.fill(dir, ctx.workload(), ctx.rows(), ctx.channels());
                log("filled an outbox template of %,d rows in %d streams for relay in %.1f s", ctx.rows(),
                        ctx.channels(), (System.nanoTime() - t0) / 1e9);
            }
            if (selected.contains(Report.NAIVE)) {
                long t0 = System.nanoTime();
                naiveTemplate = ctx.channels() == 1 && relayTemplate != null ? relayTemplate
                        : OutboxTemplate.fill(dir, ctx.workload(), ctx.rows(), 1);
                log("filled an outbox template of %,d rows in 1 stream for naive in %.1f s", ctx.rows(),
                        (System.nanoTime() - t0) / 1e9);
            }
            int poolRows = (int) Math.min(ctx.rows(), 20_000);
            RowPool pool = selected.contains(Report.CEILING) || selected.contains(Report.CEILING_DISCARD)
                    ? new RowPool(ctx.workload(), poolRows, ctx.maxBatchRows(), ctx.maxBatchBytes(), false) : null;
            RowPool mapsPool = selected.contains(Report.CEILING_MAPS)
                    ? new RowPool(ctx.workload(), poolRows, ctx.maxBatchRows(), ctx.maxBatchBytes(), true) : null;
            EmulatorIngestProbe probe = selected.contains(Report.EMULATOR_INGEST)
                    ? new EmulatorIngestProbe(ctx, (int) Math.min(ingestRequestRows, ctx.rows())) : null;
            return new Inputs(relayTemplate, naiveTemplate, pool, mapsPool, probe);
        }

        void delete() throws IOException {
            if (relayTemplate != null) {
                relayTemplate.delete();
            }
            if (naiveTemplate != null) {
                naiveTemplate.delete();
            }
        }
    }

    /** Runs every selected mode once; records into {@code report} unless it is null (warm-up). */
    private void runPass(ModeContext ctx, Inputs inputs, Set<String> selected, int repeat, Path runOutbox,
                         Report report) throws Exception {
        Report sink = report != null ? report : new Report(new ObjectMapper().createObjectNode());
        EmulatorHandle emulator = ctx.emulator();
        for (String mode : selected) {
            long tableBefore = emulator.tableRowCount(workload.table()).orElse(-1);
            ModeRun run = switch (mode) {
                case Report.EMULATOR_INGEST -> inputs.probe().run(repeat);
                case Report.CEILING -> SdkCeilingMode.run(ctx, inputs.pool(), repeat);
                case Report.CEILING_DISCARD -> SdkCeilingMode.run(onDiscard(ctx), inputs.pool(), repeat, mode);
                case Report.CEILING_MAPS -> SdkCeilingMode.run(ctx, inputs.mapsPool(), repeat, mode);
                case Report.RELAY_DISCARD -> {
                    if (isPostgres()) {
                        yield PostgresRelayMode.run(onDiscard(ctx), postgres, repeat, mode);
                    }
                    inputs.relayTemplate().copyTo(runOutbox);
                    ModeRun r = RelayMode.run(onDiscard(ctx), runOutbox, inputs.relayTemplate(), repeat, mode);
                    checkDrained(sink, runOutbox, inputs.relayTemplate(), mode, repeat);
                    yield r;
                }
                case Report.RELAY -> {
                    if (isPostgres()) {
                        yield PostgresRelayMode.run(ctx, postgres, repeat, mode);
                    }
                    inputs.relayTemplate().copyTo(runOutbox);
                    ModeRun r = RelayMode.run(ctx, runOutbox, inputs.relayTemplate(), repeat);
                    checkDrained(sink, runOutbox, inputs.relayTemplate(), mode, repeat);
                    yield r;
                }
                case Report.NAIVE -> {
                    OutboxTemplate template = inputs.naiveTemplate();
                    template.copyTo(runOutbox);
                    ModeRun r;
                    try (SqliteOutbox outbox = SqliteOutbox.open(runOutbox);
                         SqliteOffsetSource source = outbox.openSource(template.streams().get(0))) {
                        r = NaiveMode.run(ctx, source, template.lastOffset(0), template.payloadBytes(), repeat);
                    }
                    checkDrained(sink, runOutbox, template, mode, repeat);
                    yield r;
                }
                default -> throw new IllegalStateException(mode);
            };
            EmulatorHandle target = mode.endsWith("-discard") ? discard : emulator;
            sink.add(run);
            if (!mode.endsWith("-discard")) {
                checkTable(sink, emulator, workload.table(), tableBefore, run);
            }
            if (!target.clearTable(workload.table()) && !noTableNoted) {
                noTableNoted = true;
                log("note: the emulator's store has no table %s to clear; rows are verified through the"
                        + " channel status only", workload.table());
            }
            log("%s%s", repeat == 0 ? "warm-up " : "", run);
            if (mode.equals(Report.EMULATOR_INGEST) && inputs.probe().busyReplies() > 0) {
                log("    the emulator answered %,d append requests with 503 (busy) so far; each was sent again",
                        inputs.probe().busyReplies());
            }
            log("    cpu by thread: %s", run.topThreadGroups(6));
        }
        if (report == null && !sink.failures().isEmpty()) {
            throw new IllegalStateException("warm-up failed verification: " + sink.failures());
        }
    }

    private boolean noTableNoted;
    /** The PostgreSQL server of {@code --source postgres}. */
    private PostgresBenchDatabase postgres;

    private boolean isPostgres() {
        return "postgres".equals(source);
    }
    /** The discarding server, when a discard mode is selected. */
    private ForkedEmulator discard;

    private RunnerConfig relayConfig(int appendRows, int appendBytes) {
        RunnerConfig.Builder config = RunnerConfig.builder().maxAppendRows(appendRows).maxAppendBytes(appendBytes);
        if (maxUncommittedMb != null) {
            config.maxUncommittedBytes(maxUncommittedMb * 1024 * 1024);
        }
        if (commitPollMillis != null) {
            config.commitPollInterval(java.time.Duration.ofMillis(commitPollMillis));
        }
        return config.build();
    }

    private java.util.Properties withSdkProperties(java.util.Properties base) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(base);
        sdkProperties.forEach(p::setProperty);
        return p;
    }

    private ModeContext onDiscard(ModeContext ctx) {
        return new ModeContext(withSdkProperties(discard.clientProperties()), ctx.workload(), ctx.rows(), ctx.channels(),
                ctx.maxBatchRows(), ctx.maxBatchBytes(), ctx.naiveReadRows(), ctx.runId(), ctx.timeoutMillis(),
                discard, ctx.relayConfig());
    }

    private jdk.jfr.Recording startRecording() throws IOException {
        if (jfrFile == null) {
            return null;
        }
        try {
            jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
            recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(10));
            recording.start();
            return recording;
        } catch (java.text.ParseException e) {
            throw new IOException("cannot read JFR's profile settings", e);
        }
    }

    private void validate() {
        if (!"sqlite".equals(source) && !"postgres".equals(source)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--source must be sqlite or postgres, was " + source);
        }
        if (rows < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rows must be >= 1, was " + rows);
        }
        if (channels < 1 || channels > 64) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--channels must be 1..64, was " + channels);
        }
        if (repeats < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--repeats must be >= 1, was " + repeats);
        }
        for (String mode : modes) {
            if (!ALL_MODES.contains(mode)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--modes: unknown mode '" + mode + "'; known: " + ALL_MODES);
            }
        }
        if (!emulatorStore.equals("memory") && !emulatorStore.equals("file")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--emulator-store must be memory or file, was " + emulatorStore);
        }
        if (!emulatorPlacement.equals("fork") && !emulatorPlacement.equals("in-process")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--emulator must be fork or in-process, was " + emulatorPlacement);
        }
    }

    private EmulatorHandle startEmulator(Path dir) throws IOException {
        String sql = workload.setupSql();
        Path store = emulatorStore.equals("file") ? dir.resolve("emulator-store.db") : null;
        if (store != null) {
            OutboxTemplate.deleteWithSidecars(store);
        }
        if (emulatorPlacement.equals("in-process")) {
            return InProcessEmulator.start(sql, commitLagMillis, store, emulatorMaxPendingMb);
        }
        return ForkedEmulator.start(sql, commitLagMillis, dir, emulatorJvmArgs, store, emulatorMaxPendingMb);
    }

    private double averagePayloadBytes() {
        long bytes = 0;
        int n = 1000;
        for (int i = 0; i < n; i++) {
            bytes += workload.payload(i).length();
        }
        return bytes / (double) n;
    }

    private static void checkDrained(Report report, Path outboxFile, OutboxTemplate template, String mode, int repeat) {
        try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
            for (String stream : template.streams()) {
                long pending = outbox.pendingCount(stream);
                if (pending != 0) {
                    report.addFailure(mode + " #" + repeat + ": outbox stream " + stream + " still holds " + pending
                            + " rows after the mode finished");
                }
            }
        }
    }

    private static void checkTable(Report report, EmulatorHandle emulator, String table, long before, ModeRun run) {
        if (before < 0) {
            return;
        }
        OptionalLong after = emulator.tableRowCount(table);
        if (after.isPresent() && after.getAsLong() - before != run.rows()) {
            report.addFailure(run.mode() + " #" + run.repeat() + ": the table grew by " + (after.getAsLong() - before)
                    + " rows, expected " + run.rows());
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "%s %s%n", Instant.now(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Entry point; exits with 0 when every mode ran and verified, 1 when a verification failed, 2 on errors. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool in this JVM without exiting (the smoke test uses it); returns the exit code. */
    public static int run(String... args) {
        return new CommandLine(new EndToEnd()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /** Picocli converter for {@link Workload#parse}. */
    static final class WorkloadConverter implements CommandLine.ITypeConverter<Workload> {
        @Override
        public Workload convert(String value) {
            return Workload.parse(value);
        }
    }
}
