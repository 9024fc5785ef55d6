package io.snowpiperelay.sqlite;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class of the test classpath, for tests that need another process (locks,
 * crashes). Its stdout and stderr go to files: unlike a pipe, a file keeps every line the child wrote
 * before it was killed, which the crash test counts on. {@link #close()} kills it with SIGKILL; use it in
 * try-with-resources so no child outlives its test.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    /** Complete stdout lines read from the file but not yet consumed. Test thread only. */
    private final Deque<String> unread = new ArrayDeque<>();
    private long consumedBytes;

    private ChildJvm(Process process, Path stdoutFile, Path stderrFile) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    static ChildJvm start(Path workDir, Class<?> mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Path stdoutFile = Files.createTempFile(workDir, mainClass.getSimpleName(), ".stdout");
        Path stderrFile = Files.createTempFile(workDir, mainClass.getSimpleName(), ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new ChildJvm(process, stdoutFile, stderrFile);
    }

    /** The next stdout line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) {
        return await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                .until(() -> nextLineStartingWith(prefix), Objects::nonNull);
    }

    private String nextLineStartingWith(String prefix) throws IOException {
        boolean aliveBeforeRead = process.isAlive();
        readCompleteLines();
        while (!unread.isEmpty()) {
            String line = unread.poll();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        if (!aliveBeforeRead) {
            throw new AssertionError("child pid " + process.pid() + " ended (exit " + process.exitValue()
                    + ") without printing a line starting with '" + prefix + "'; its stderr:\n" + stderr());
        }
        return null;
    }

    private void readCompleteLines() throws IOException {
        byte[] fresh;
        try (RandomAccessFile file = new RandomAccessFile(stdoutFile.toFile(), "r")) {
            long available = file.length() - consumedBytes;
            if (available <= 0) {
                return;
            }
            fresh = new byte[(int) available];
            file.seek(consumedBytes);
            file.readFully(fresh);
        }
        int lineStart = 0;
        for (int i = 0; i < fresh.length; i++) {
            if (fresh[i] == '\n') {
                unread.add(new String(fresh, lineStart, i - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
            }
        }
        // A trailing partial line stays in the file for the next read (or is dropped if the child died).
        consumedBytes += lineStart;
    }

    /** Every complete stdout line not consumed yet, in order. Call after the child is dead for all of them. */
    List<String> remainingLines() throws IOException {
        readCompleteLines();
        List<String> remaining = new ArrayList<>(unread);
        unread.clear();
        return remaining;
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

    /** Kills the child if it is still running; waits (bounded) for it to be gone. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            kill();
        } catch (InterruptedException e) {
            // SIGKILL was sent; keep the interrupt for the caller.
            Thread.currentThread().interrupt();
        }
    }
}
