package io.snowpiperelay.benchmarks;

/**
 * What one mode measured in one repeat.
 *
 * @param mode              {@code sdk-ceiling}, {@code relay}, {@code naive} or {@code emulator-ingest}
 * @param repeat            1-based repeat number
 * @param channels          how many channels carried the rows
 * @param rows              rows moved (and verified in the table)
 * @param payloadBytes      JSON bytes of those rows
 * @param wallNanos         from the first read or append until the last row was confirmed committed (and, for
 *                          modes with a source, deleted from it)
 * @param cpuNanos          CPU time this JVM used meanwhile (all threads, GC and the SDK's native core)
 * @param emulatorCpuNanos  CPU time the emulator used meanwhile, or -1 when it runs in this JVM
 * @param latencyP50Millis  median commit-to-delete latency of a batch (read to delete; without a source, append
 *                          to observed commit)
 * @param latencyP99Millis  99th percentile of the same
 * @param peakHeapBytes     summed peak usage of the heap pools during the phase
 * @param verifiedRows      rows the emulator reported as inserted for this mode's channels
 * @param gcMillis          time this JVM's garbage collectors reported during the phase
 * @param cpuByThreadGroup  CPU ns of this JVM's threads by name group (SDK native threads included), Linux only
 * @param appendNanos       from the start until the last batch was appended (the rest of {@code wallNanos} is
 *                          waiting for the last commits to be confirmed)
 */
record ModeRun(String mode, int repeat, int channels, long rows, long payloadBytes, long wallNanos, long cpuNanos,
               long emulatorCpuNanos, double latencyP50Millis, double latencyP99Millis, long peakHeapBytes,
               long verifiedRows, long gcMillis,
               java.util.Map<String, Long> cpuByThreadGroup, long appendNanos) {

    double rowsPerSecond() {
        return rows / (wallNanos / 1e9);
    }

    /** Rows per second of the append phase alone: until the last batch was appended. */
    double appendRowsPerSecond() {
        return appendNanos <= 0 ? Double.NaN : rows / (appendNanos / 1e9);
    }

    double megabytesPerSecond() {
        return payloadBytes / 1e6 / (wallNanos / 1e9);
    }

    double cpuMicrosPerRow() {
        return cpuNanos / 1e3 / rows;
    }

    double emulatorCpuMicrosPerRow() {
        return emulatorCpuNanos < 0 ? Double.NaN : emulatorCpuNanos / 1e3 / rows;
    }

    double peakHeapMegabytes() {
        return peakHeapBytes / (1024.0 * 1024.0);
    }

    /** The heaviest thread groups, e.g. {@code "relay-group- 41%, tokio-runtime-worker 30%"}. */
    String topThreadGroups(int count) {
        long total = cpuByThreadGroup.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder();
        cpuByThreadGroup.entrySet().stream().limit(count).forEach(e -> text.append(text.length() == 0 ? "" : ", ")
                .append(e.getKey()).append(' ').append(Math.round(100.0 * e.getValue() / Math.max(1, total)))
                .append('%'));
        return text.toString();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%-19s #%d %d ch: %,9.0f rows/s (appending %,9.0f rows/s) %6.1f MB/s %5.2f us cpu/row, latency p50 %,.0f ms p99 %,.0f ms,"
                        + " peak heap %,.0f MB, gc %,d ms, verified %,d/%,d rows",
                mode, repeat, channels, rowsPerSecond(), appendRowsPerSecond(), megabytesPerSecond(), cpuMicrosPerRow(), latencyP50Millis,
                latencyP99Millis, peakHeapMegabytes(), gcMillis, verifiedRows, rows);
    }
}
