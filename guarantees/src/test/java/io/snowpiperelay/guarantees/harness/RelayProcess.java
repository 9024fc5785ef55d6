package io.snowpiperelay.guarantees.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link RelayMain} (or any main of the test classpath) in a JVM of its own, started with the test JVM's java
 * and class path and {@code SS_LOG_LEVEL=warn}. Its stdout lines are queued for {@link #awaitLine}; its stderr goes
 * to a file. {@link #close()} kills it with SIGKILL if it still runs: use try-with-resources or call it in a
 * {@code finally}.
 */
public final class RelayProcess implements AutoCloseable {
    private static final String END_OF_OUTPUT = "\u0000EOF";
    private static final Duration DEATH_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderrFile;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> fatalLines = new CopyOnWriteArrayList<>();
    private final List<String> transcript = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> markerCounts = new ConcurrentHashMap<>();
    private final Thread pump;

    private RelayProcess(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.pump = new Thread(this::pumpStdout, "relay-" + process.pid() + "-stdout");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** Starts {@link RelayMain} with {@code args}; stderr goes to {@code stderrFile}. */
    public static RelayProcess startRelay(Path stderrFile, List<String> jvmOptions, String... args) throws IOException {
        return start(stderrFile, RelayMain.class, jvmOptions, args);
    }

    /** Starts {@code mainClass} of the test class path in a new JVM. */
    public static RelayProcess start(Path stderrFile, Class<?> mainClass, List<String> jvmOptions, String... args)
            throws IOException {
        return start(stderrFile, mainClass, jvmOptions, Map.of(), args);
    }

    /** Starts {@code mainClass} with extra environment variables ({@code SS_LOG_LEVEL} is warn unless given). */
    public static RelayProcess start(Path stderrFile, Class<?> mainClass, List<String> jvmOptions,
                                     Map<String, String> environment, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dlogback.configurationFile="))) {
            java.net.URL config = RelayProcess.class.getResource("/relay-logback.xml");
            if (config != null) {
                command.add("-Dlogback.configurationFile=" + config);
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("SS_LOG_LEVEL", "warn");
        builder.environment().putAll(environment);
        return new RelayProcess(builder.start(), stderrFile);
    }

    private void pumpStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(Markers.FATAL)) {
                    fatalLines.add(line);
                }
                int space = line.indexOf(' ');
                markerCounts.computeIfAbsent(space < 0 ? line : line.substring(0, space), k -> new LongAdder())
                        .increment();
                lines.add(line);
                transcript.add(line);
            }
        } catch (IOException ignored) {
            // killed mid-line: what was read is queued
        } finally {
            lines.add(END_OF_OUTPUT);
        }
    }

    /**
     * The next stdout line matching {@code wanted}, skipping others. Fails at once on a {@code FATAL} line (unless
     * {@code wanted} accepts it), and when the process ends or {@code timeout} passes without one.
     */
    public String awaitLine(Predicate<String> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(END_OF_OUTPUT)) {
                if (line != null) {
                    lines.add(END_OF_OUTPUT); // keep the end visible to later calls
                }
                throw new AssertionError("relay pid " + process.pid() + " printed no " + what + " line within "
                        + timeout + (line == null ? "" : " (it ended)") + "; stderr tail:\n" + stderrTail(40));
            }
            if (wanted.test(line)) {
                return line;
            }
            if (line.startsWith(Markers.FATAL)) {
                throw new AssertionError("relay pid " + process.pid() + " reported: " + line + "\nstderr tail:\n"
                        + stderrTail(60));
            }
        }
    }

    /**
     * Like {@link #awaitLine(Predicate, String, Duration)} but returns null when {@code timeout} passes; still fails
     * at once on a FATAL line or when the process ends.
     */
    public String pollLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                return null;
            }
            if (line.equals(END_OF_OUTPUT)) {
                lines.add(END_OF_OUTPUT);
                throw new AssertionError("relay pid " + process.pid() + " ended unexpectedly (exit "
                        + exitCodeOrNull() + "); stderr tail:\n" + stderrTail(60));
            }
            if (wanted.test(line)) {
                return line;
            }
            if (line.startsWith(Markers.FATAL)) {
                throw new AssertionError("relay pid " + process.pid() + " reported: " + line + "\nstderr tail:\n"
                        + stderrTail(60));
            }
        }
    }

    private Integer exitCodeOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** How many lines of each marker (first word) the process printed so far. */
    public Map<String, Long> markerCounts() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        markerCounts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** The next line starting with {@code prefix}; see {@link #awaitLine(Predicate, String, Duration)}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        return awaitLine(l -> l.startsWith(prefix), prefix, timeout);
    }

    /** Every stdout line not yet taken (after the process is dead: all of them), in order. */
    public List<String> drainLines(Duration timeout) throws InterruptedException {
        if (!process.isAlive()) {
            pump.join(timeout.toMillis());
        }
        List<String> drained = new ArrayList<>();
        lines.drainTo(drained);
        drained.remove(END_OF_OUTPUT);
        return drained;
    }

    /** Every stdout line printed so far, taken or not. */
    public List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    /** FATAL lines printed so far. */
    public List<String> fatalLines() {
        return List.copyOf(fatalLines);
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether it still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Watches the process for {@code d}: returns true if it is still alive afterwards (the normal case), false if it
     * exited meanwhile. Used for "kill after a random delay" without sleeping blindly.
     */
    public boolean stillAliveAfter(Duration d) throws InterruptedException {
        return !process.waitFor(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** SIGKILL, then waits (bounded) until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(DEATH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("relay pid " + process.pid() + " did not die within " + DEATH_TIMEOUT);
        }
    }

    /** SIGTERM (a {@code ski-resort relay}'s graceful stop: its shutdown hook drains), then waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        sigterm();
        return awaitExit(timeout);
    }

    /** SIGTERM without waiting (stop several at once, then {@link #awaitExit} each). */
    public void sigterm() {
        process.destroy();
    }

    /** SIGSTOP: the process freezes (threads, timers, sockets held open) until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Closes stdin (RelayMain's "close gracefully"), then waits for the exit code. */
    public int stopGracefully(Duration timeout) throws InterruptedException, IOException {
        process.getOutputStream().close();
        return awaitExit(timeout);
    }

    /** Waits for the exit code; fails after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("relay pid " + process.pid() + " did not exit within " + timeout
                    + "; stderr tail:\n" + stderrTail(40));
        }
        return process.exitValue();
    }

    /** The last {@code n} lines of the stderr file. */
    public String stderrTail(int n) {
        try {
            List<String> all = Files.readAllLines(stderrFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** SIGKILLs the process if it still runs and waits (bounded) for it to be gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
