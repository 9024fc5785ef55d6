package io.snowpiperelay.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test classpath, for tests that need another process (locks,
 * crashes). Its stdout lines are queued for {@link #awaitLine}; its stderr goes to a file shown on failure.
 * {@link #close()} kills it with SIGKILL and is always called (try-with-resources).
 */
final class ChildJvm implements AutoCloseable {

    private static final String END_OF_OUTPUT = "\u0000EOF";

    private final Process process;
    private final Path stderrFile;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread pump;

    private ChildJvm(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.pump = new Thread(this::pumpStdout, "child-" + process.pid() + "-stdout");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    static ChildJvm start(Path workDir, Class<?> mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path stderrFile = Files.createTempFile(workDir, mainClass.getSimpleName(), ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectError(stderrFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildJvm(process, stderrFile);
    }

    private void pumpStdout() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // The child was killed mid-line: what was read is queued.
        } finally {
            lines.add(END_OF_OUTPUT);
        }
    }

    /** The next stdout line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(END_OF_OUTPUT)) {
                throw new AssertionError("child pid " + process.pid() + " printed no line starting with '"
                        + prefix + "' within " + timeout + (line == null ? "" : " (it ended)")
                        + "; its stderr:\n" + stderr());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Every stdout line printed so far (after the child is dead: all of them), in order. */
    List<String> drainLines(Duration timeout) throws InterruptedException {
        pump.join(timeout.toMillis());
        List<String> drained = new ArrayList<>();
        lines.drainTo(drained);
        drained.remove(END_OF_OUTPUT);
        return drained;
    }

    /** Closes the child's stdin, which {@link HoldRelayLockMain} takes as "release and exit". */
    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait (bounded) until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child pid " + process.pid() + " did not die within 30 s of SIGKILL");
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child pid " + process.pid() + " did not exit within " + timeout
                    + "; its stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
