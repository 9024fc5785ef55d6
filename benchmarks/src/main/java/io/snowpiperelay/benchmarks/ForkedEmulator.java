package io.snowpiperelay.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The emulator in a child JVM ({@link EmulatorServer}), started with this JVM's class path. Its CPU time comes from
 * the operating system ({@link ProcessHandle.Info#totalCpuDuration()}). Not thread-safe; {@link #close()} stops it.
 */
final class ForkedEmulator implements EmulatorHandle {

    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter commands;
    private final String url;
    private final Properties clientProperties = new Properties();

    private boolean discard;

    private ForkedEmulator(Process process, BufferedReader answers, PrintWriter commands, String url,
                           Path profile) throws IOException {
        this.process = process;
        this.answers = answers;
        this.commands = commands;
        this.url = url;
        try (Reader in = Files.newBufferedReader(profile, StandardCharsets.UTF_8)) {
            clientProperties.load(in);
        }
    }

    static ForkedEmulator start(String sql, long commitLagMillis, Path dir, List<String> jvmArgs, Path store,
                                long maxPendingMb) throws IOException {
        return start(sql, commitLagMillis, dir, jvmArgs, store, false, maxPendingMb);
    }

    /** With {@code discard}, the child runs a {@link DiscardingServer} instead of the emulator. */
    static ForkedEmulator start(String sql, long commitLagMillis, Path dir, List<String> jvmArgs, Path store,
                                boolean discard, long maxPendingMb) throws IOException {
        String suffix = discard ? "-discard" : "";
        Path sqlFile = dir.resolve("emulator-setup" + suffix + ".sql");
        Files.writeString(sqlFile, sql, StandardCharsets.UTF_8);
        Path profile = dir.resolve("emulator-client" + suffix + ".properties");
        Files.deleteIfExists(profile);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs.stream().filter(a -> !a.isBlank()).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EmulatorServer.class.getName());
        command.add("--sql-file");
        command.add(sqlFile.toString());
        command.add("--profile-out");
        command.add(profile.toString());
        command.add("--commit-lag-ms");
        command.add(Long.toString(commitLagMillis));
        if (discard) {
            command.add("--discard");
        }
        if (maxPendingMb > 0) {
            command.add("--max-pending-mb");
            command.add(Long.toString(maxPendingMb));
        }
        if (store != null) {
            command.add("--store");
            command.add(store.toString());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = readAnswer(answers, process);
        if (!ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("emulator child JVM did not start: " + ready);
        }
        ForkedEmulator handle =
                new ForkedEmulator(process, answers, commands, ready.substring("READY ".length()).trim(), profile);
        handle.discard = discard;
        return handle;
    }

    private static String readAnswer(BufferedReader answers, Process process) throws IOException {
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith("@@ ")) {
                return line.substring(3);
            }
        }
        throw new IOException("emulator child JVM ended (exit code "
                + (process.isAlive() ? "none yet" : process.exitValue()) + ") before it answered");
    }

    @Override
    public Properties clientProperties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    @Override
    public OptionalLong tableRowCount(String table) {
        try {
            commands.println("count " + table);
            String answer = readAnswer(answers, process);
            return answer.startsWith("COUNT ") ? OptionalLong.of(Long.parseLong(answer.substring(6).trim()))
                    : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean clearTable(String table) {
        commands.println("clear " + table);
        try {
            return readAnswer(answers, process).equals("OK");
        } catch (IOException e) {
            throw new IllegalStateException("emulator child JVM is gone", e);
        }
    }

    @Override
    public String describe() {
        return (discard ? "discarding server in a " : "") + "child JVM, pid " + process.pid();
    }

    @Override
    public void close() {
        commands.println("quit");
        commands.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
