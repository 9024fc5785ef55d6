package io.snowpiperelay.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end tool's result: every run of every mode, and per mode the median, minimum and maximum of each
 * figure. Scripts rely on {@code modes.<mode>.rowsPerSecond} (the median, a number), {@code ratios.relayToNaive}
 * and {@code ratios.relayToCeiling} (ratios of those medians). Not thread-safe.
 */
final class Report {

    static final String CEILING = SdkCeilingMode.NAME;
    static final String RELAY = "relay";
    static final String NAIVE = NaiveMode.NAME;
    static final String EMULATOR_INGEST = "emulator-ingest";
    static final String CEILING_DISCARD = "sdk-ceiling-discard";
    static final String RELAY_DISCARD = "relay-discard";
    static final String CEILING_MAPS = "sdk-ceiling-maps";

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectNode root = mapper.createObjectNode();
    private final Map<String, List<ModeRun>> runsByMode = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    Report(ObjectNode settings) {
        root.put("tool", EndToEnd.class.getName());
        root.put("startedAt", Instant.now().toString());
        root.setAll(settings);
        root.set("environment", environment());
    }

    void add(ModeRun run) {
        runsByMode.computeIfAbsent(run.mode(), m -> new ArrayList<>()).add(run);
        if (run.verifiedRows() != run.rows()) {
            failures.add(run.mode() + " #" + run.repeat() + ": the emulator reports " + run.verifiedRows()
                    + " rows inserted on its channels, expected " + run.rows());
        }
    }

    void addFailure(String failure) {
        failures.add(failure);
    }

    List<String> failures() {
        return failures;
    }

    void putExtra(String field, Object value) {
        root.set(field, mapper.valueToTree(value));
    }

    /** Median of {@code mode}'s rows per second, or NaN when it did not run. */
    double medianRowsPerSecond(String mode) {
        List<ModeRun> runs = runsByMode.get(mode);
        return runs == null ? Double.NaN : median(runs, ModeRun::rowsPerSecond);
    }

    ObjectNode build() {
        ObjectNode modes = root.putObject("modes");
        for (Map.Entry<String, List<ModeRun>> entry : runsByMode.entrySet()) {
            if (entry.getKey().equals(EMULATOR_INGEST)) {
                continue;
            }
            modes.set(entry.getKey(), summarize(entry.getValue()));
        }
        List<ModeRun> ingest = runsByMode.get(EMULATOR_INGEST);
        if (ingest != null) {
            ObjectNode emulator = summarize(ingest);
            root.set("emulator", emulator);
        }
        ObjectNode ratios = root.putObject("ratios");
        putRatio(ratios, "relayToNaive", medianRowsPerSecond(RELAY), medianRowsPerSecond(NAIVE));
        putRatio(ratios, "relayToCeiling", medianRowsPerSecond(RELAY), medianRowsPerSecond(CEILING));
        putRatio(ratios, "relayToCeilingMaps", medianRowsPerSecond(RELAY), medianRowsPerSecond(CEILING_MAPS));
        putRatio(ratios, "ceilingToNaive", medianRowsPerSecond(CEILING), medianRowsPerSecond(NAIVE));
        putRatio(ratios, "emulatorIngestToCeiling", medianRowsPerSecond(EMULATOR_INGEST),
                medianRowsPerSecond(CEILING));
        putRatio(ratios, "ceilingEmulatorToDiscard", medianRowsPerSecond(CEILING), medianRowsPerSecond(CEILING_DISCARD));
        putRatio(ratios, "relayToCeilingDiscard", medianRowsPerSecond(RELAY_DISCARD),
                medianRowsPerSecond(CEILING_DISCARD));
        root.put("verified", failures.isEmpty());
        ArrayNode failureNodes = root.putArray("failures");
        failures.forEach(failureNodes::add);
        root.put("finishedAt", Instant.now().toString());
        ((ObjectNode) root.get("environment")).put("loadAverageAtEnd",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return root;
    }

    void write(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        mapper.writeValue(out.toFile(), build());
    }

    /** A plain-text table of the medians and ranges, for the console. */
    String table() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-20s %3s %26s %20s %14s %16s %10s%n", "mode", "ch",
                "rows/s median [min-max]", "MB/s median", "cpu us/row", "p50/p99 ms", "heap MB"));
        for (Map.Entry<String, List<ModeRun>> entry : runsByMode.entrySet()) {
            List<ModeRun> runs = entry.getValue();
            text.append(String.format(Locale.ROOT, "%-20s %3d %,10.0f [%,6.0f-%,6.0f] %8.1f [%4.1f-%4.1f] %14.2f %7.0f/%-8.0f %10.0f%n",
                    entry.getKey(), runs.get(0).channels(),
                    median(runs, ModeRun::rowsPerSecond), min(runs, ModeRun::rowsPerSecond),
                    max(runs, ModeRun::rowsPerSecond),
                    median(runs, ModeRun::megabytesPerSecond), min(runs, ModeRun::megabytesPerSecond),
                    max(runs, ModeRun::megabytesPerSecond), median(runs, ModeRun::cpuMicrosPerRow),
                    median(runs, ModeRun::latencyP50Millis), median(runs, ModeRun::latencyP99Millis),
                    median(runs, ModeRun::peakHeapMegabytes)));
        }
        return text.toString();
    }

    /** The results as a Markdown table (medians with [min–max]), for docs/benchmarks.md. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| mode | channels | rows/s median [min–max] | append phase rows/s | MB/s | CPU µs/row (this JVM) |"
                + " CPU µs/row (emulator) | commit-to-delete p50 / p99 ms | peak heap MB | GC ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<ModeRun>> entry : runsByMode.entrySet()) {
            List<ModeRun> runs = entry.getValue();
            md.append(String.format(Locale.ROOT,
                    "| %s | %d | %,.0f [%,.0f–%,.0f] | %,.0f | %.1f | %.2f | %.2f | %,.0f / %,.0f | %,.0f | %,.0f |%n",
                    entry.getKey(), runs.get(0).channels(),
                    median(runs, ModeRun::rowsPerSecond), min(runs, ModeRun::rowsPerSecond),
                    max(runs, ModeRun::rowsPerSecond), median(runs, ModeRun::appendRowsPerSecond),
                    median(runs, ModeRun::megabytesPerSecond), median(runs, ModeRun::cpuMicrosPerRow),
                    median(runs, ModeRun::emulatorCpuMicrosPerRow), median(runs, ModeRun::latencyP50Millis),
                    median(runs, ModeRun::latencyP99Millis), median(runs, ModeRun::peakHeapMegabytes),
                    median(runs, r -> r.gcMillis())));
        }
        ObjectNode ratios = (ObjectNode) root.get("ratios");
        if (ratios != null) {
            md.append("\nratios of medians: ").append(ratios).append('\n');
        }
        return md.toString();
    }

    private ObjectNode summarize(List<ModeRun> runs) {
        ObjectNode node = mapper.createObjectNode();
        node.put("channels", runs.get(0).channels());
        node.put("repeats", runs.size());
        node.put("rows", runs.get(0).rows());
        putStat(node, "rowsPerSecond", runs, ModeRun::rowsPerSecond);
        putStat(node, "appendRowsPerSecond", runs, ModeRun::appendRowsPerSecond);
        putStat(node, "megabytesPerSecond", runs, ModeRun::megabytesPerSecond);
        putStat(node, "cpuMicrosPerRow", runs, ModeRun::cpuMicrosPerRow);
        putStat(node, "emulatorCpuMicrosPerRow", runs, ModeRun::emulatorCpuMicrosPerRow);
        putStat(node, "commitToDeleteLatencyMsP50", runs, ModeRun::latencyP50Millis);
        putStat(node, "commitToDeleteLatencyMsP99", runs, ModeRun::latencyP99Millis);
        putStat(node, "peakHeapMegabytes", runs, ModeRun::peakHeapMegabytes);
        putStat(node, "gcMillis", runs, r -> r.gcMillis());
        node.put("verified", runs.stream().allMatch(r -> r.verifiedRows() == r.rows()));
        ArrayNode runNodes = node.putArray("runs");
        for (ModeRun run : runs) {
            ObjectNode r = runNodes.addObject();
            r.put("repeat", run.repeat());
            r.put("rows", run.rows());
            r.put("payloadBytes", run.payloadBytes());
            r.put("seconds", run.wallNanos() / 1e9);
            r.put("rowsPerSecond", round(run.rowsPerSecond()));
            r.put("appendSeconds", run.appendNanos() / 1e9);
            putNumber(r, "appendRowsPerSecond", run.appendRowsPerSecond());
            r.put("megabytesPerSecond", round(run.megabytesPerSecond()));
            r.put("cpuSeconds", run.cpuNanos() / 1e9);
            r.put("cpuMicrosPerRow", round(run.cpuMicrosPerRow()));
            putNumber(r, "emulatorCpuMicrosPerRow", run.emulatorCpuMicrosPerRow());
            putNumber(r, "commitToDeleteLatencyMsP50", run.latencyP50Millis());
            putNumber(r, "commitToDeleteLatencyMsP99", run.latencyP99Millis());
            r.put("peakHeapMegabytes", round(run.peakHeapMegabytes()));
            r.put("gcMillis", run.gcMillis());
            ObjectNode threads = r.putObject("cpuSecondsByThreadGroup");
            run.cpuByThreadGroup().forEach((group, nanos) -> {
                if (nanos >= 10_000_000L) {
                    threads.put(group, Math.round(nanos / 1e7) / 100.0);
                }
            });
            r.put("verifiedRows", run.verifiedRows());
        }
        return node;
    }

    private static void putStat(ObjectNode node, String field, List<ModeRun> runs, ToDoubleFunction<ModeRun> f) {
        putNumber(node, field, median(runs, f));
        putNumber(node, field + "Min", min(runs, f));
        putNumber(node, field + "Max", max(runs, f));
    }

    private static void putRatio(ObjectNode ratios, String field, double numerator, double denominator) {
        if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
            ratios.putNull(field);
        } else {
            ratios.put(field, Math.round(numerator / denominator * 1000) / 1000.0);
        }
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value));
        }
    }

    private static double round(double value) {
        return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000.0;
    }

    static double median(List<ModeRun> runs, ToDoubleFunction<ModeRun> f) {
        double[] values = runs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static double min(List<ModeRun> runs, ToDoubleFunction<ModeRun> f) {
        return runs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    private static double max(List<ModeRun> runs, ToDoubleFunction<ModeRun> f) {
        return runs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private ObjectNode environment() {
        ObjectNode env = mapper.createObjectNode();
        Runtime runtime = Runtime.getRuntime();
        env.put("availableProcessors", runtime.availableProcessors());
        env.put("javaVersion", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("osName", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("maxHeapMegabytes", ResourceMeter.maxHeapBytes() / (1024 * 1024));
        ArrayNode args = env.putArray("jvmArguments");
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(args::add);
        ArrayNode gcs = env.putArray("garbageCollectors");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        env.put("ssLogLevel", String.valueOf(System.getenv("SS_LOG_LEVEL")));
        env.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return env;
    }
}
