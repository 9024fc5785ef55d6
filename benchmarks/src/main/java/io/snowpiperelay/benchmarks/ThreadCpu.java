package io.snowpiperelay.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process by thread, read from {@code /proc/self/task} (Linux only; empty elsewhere). Unlike
 * JFR's execution samples and {@code ThreadMXBean}, it also sees the SDK's native threads (its Rust core's
 * runtime), so a mode's CPU can be split into the relay's own threads, the SDK's native work, GC and the JIT.
 * Threads are grouped by name with digits removed ({@code GC Thread#1} and {@code GC Thread#0} → {@code GC Thread#}).
 * Resolution: one clock tick (usually 10 ms).
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every mainstream Linux build

    /** Thread id to (group name, CPU ns) at one moment. */
    private final Map<Long, Map.Entry<String, Long>> byThread;

    private ThreadCpu(Map<Long, Map.Entry<String, Long>> byThread) {
        this.byThread = byThread;
    }

    static ThreadCpu snapshot() {
        Map<Long, Map.Entry<String, Long>> byThread = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return new ThreadCpu(byThread);
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byThread.put(Long.parseLong(task.getFileName().toString()),
                            Map.entry(group(name), ticks * NANOS_PER_TICK));
                } catch (IOException | RuntimeException e) {
                    // The thread ended while we read it: its time is lost to this snapshot, which is fine.
                }
            }
        } catch (IOException e) {
            return new ThreadCpu(byThread);
        }
        return new ThreadCpu(byThread);
    }

    /** CPU ns per thread group used between {@code earlier} and this snapshot, largest first. */
    Map<String, Long> since(ThreadCpu earlier) {
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<Long, Map.Entry<String, Long>> e : byThread.entrySet()) {
            Map.Entry<String, Long> before = earlier.byThread.get(e.getKey());
            long used = e.getValue().getValue() - (before == null ? 0 : before.getValue());
            if (used > 0) {
                byGroup.merge(e.getValue().getKey(), used, Long::sum);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String group(String threadName) {
        return threadName.replaceAll("[0-9]+", "").trim();
    }
}
