package io.snowpiperelay.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording of the end-to-end tool: where the
 * Java threads spend their time, by component (the first frame from the top that belongs to a known part: the
 * SQLite source, core's JSON conversion, core's runner, the SDK's Java side; else Jackson or the JDK), by thread group,
 * and by hottest method (self time). JFR does not see the SDK's native threads; the tool's
 * {@code cpuSecondsByThreadGroup} does.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.snowpiperelay.benchmarks.JfrSummary relay.jfr [--top 25] [--thread relay-group]
 * </pre>
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    /**
     * Component rules: the first frame from the top that matches one of these names the component, so a Jackson
     * parser frame called from core's RowConverter counts as conversion.
     */
    private static final List<Map.Entry<String, String>> COMPONENTS = List.of(
            Map.entry("io.snowpiperelay.sqlite.", "SQLite source (sqlite-source + JDBC)"),
            Map.entry("org.sqlite.", "SQLite source (sqlite-source + JDBC)"),
            Map.entry("io.snowpiperelay.internal.RowConverter", "JSON to row (core RowConverter + Jackson parse)"),
            Map.entry("io.snowpiperelay.internal.RawJsonRow", "JSON to row (core RowConverter + Jackson parse)"),
            Map.entry("io.snowpiperelay.internal.JsonRowReader", "JSON to row (core RowConverter + Jackson parse)"),
            Map.entry("io.snowpiperelay.internal.sdk.", "core SDK adapter"),
            Map.entry("com.snowflake.ingest.", "SDK Java side (row serialisation to NDJSON, JNI)"),
            Map.entry("io.snowpiperelay.benchmarks.NaiveMode", "naive loop (Jackson parse + appendRow)"),
            Map.entry("io.snowpiperelay.benchmarks.", "benchmark harness"),
            Map.entry("io.snowpiperelay.", "core runner loop"));

    /** Used only when no frame of the stack matches {@link #COMPONENTS}. */
    private static final List<Map.Entry<String, String>> FALLBACKS = List.of(
            Map.entry("com.fasterxml.jackson.", "Jackson (other callers)"),
            Map.entry("java.util.concurrent.", "JDK concurrency (locks, parking)"),
            Map.entry("jdk.internal.net.http.", "JDK HTTP client"));

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrSummary <recording.jfr> [--top N] [--thread NAME-PREFIX]");
            System.exit(2);
        }
        int top = 25;
        String threadPrefix = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--top")) {
                top = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--thread")) {
                threadPrefix = args[++i];
            }
        }
        Map<String, Long> byComponent = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> bySelfMethod = new HashMap<>();
        Map<String, Long> nativeByMethod = new HashMap<>();
        long nativeTotal = 0;
        long total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.NativeMethodSample")) {
                String thread = event.getThread("sampledThread") == null ? "?"
                        : String.valueOf(event.getThread("sampledThread").getJavaName());
                RecordedStackTrace stack = event.getStackTrace();
                if ((threadPrefix == null || thread.startsWith(threadPrefix)) && stack != null
                        && !stack.getFrames().isEmpty()) {
                    nativeTotal++;
                    nativeByMethod.merge(thread.replaceAll("[0-9]+", "") + ": " + name(stack.getFrames().get(0)),
                            1L, Long::sum);
                }
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null ? "?"
                    : String.valueOf(event.getThread("sampledThread").getJavaName());
            if (threadPrefix != null && !thread.startsWith(threadPrefix)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            byThread.merge(thread.replaceAll("[0-9]+", ""), 1L, Long::sum);
            List<RecordedFrame> frames = stack.getFrames();
            bySelfMethod.merge(name(frames.get(0)), 1L, Long::sum);
            byComponent.merge(component(frames), 1L, Long::sum);
        }
        System.out.printf(Locale.ROOT, "%,d CPU samples of Java threads%s in %s%n%n", total,
                threadPrefix == null ? "" : " named " + threadPrefix + "*", args[0]);
        print("by component (first known frame from the top)", byComponent, total, top);
        print("by thread (digits removed)", byThread, total, top);
        print("hottest methods (self)", bySelfMethod, total, top);
        System.out.printf(Locale.ROOT, "%,d samples of Java threads inside native methods (JNI calls into the SDK or"
                + " SQLite, or blocked in the OS):%n", nativeTotal);
        print("native methods by thread", nativeByMethod, Math.max(1, nativeTotal), top);
    }

    private static String component(List<RecordedFrame> frames) {
        for (List<Map.Entry<String, String>> rules : List.of(COMPONENTS, FALLBACKS)) {
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                for (Map.Entry<String, String> rule : rules) {
                    if (type.startsWith(rule.getKey())) {
                        return rule.getValue();
                    }
                }
            }
        }
        String type = frames.get(0).getMethod().getType().getName();
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") ? "JDK (other)" : "other";
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println(title + ":");
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((key, count) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * count / total, key));
        System.out.println();
    }
}
