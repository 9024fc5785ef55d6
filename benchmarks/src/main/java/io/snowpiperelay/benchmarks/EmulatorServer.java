package io.snowpiperelay.benchmarks;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The emulator in a JVM of its own, for the end-to-end tool ({@code --emulator fork}): so that the tool's CPU time
 * and peak heap are the sender's alone, and the emulator's CPU time can be read from its process. Request
 * recording is off. Controlled over stdin/stdout, one line per command, answers prefixed with {@code @@}:
 * <ul>
 *   <li>at start it writes the SDK client properties to {@code --profile-out} and prints {@code @@ READY <url>};</li>
 *   <li>{@code count <table>} prints {@code @@ COUNT <rows>};</li>
 *   <li>{@code clear <table>} deletes the table's rows (between modes, to bound the store) and prints {@code @@ OK};</li>
 *   <li>{@code quit}, or the end of stdin (the parent died), closes the emulator and exits.</li>
 * </ul>
 * With {@code --discard} it runs a {@link DiscardingServer} instead (rows counted and thrown away).
 * Arguments: {@code --sql-file F --profile-out F [--commit-lag-ms N] [--store F] [--max-pending-mb N] [--discard]}.
 */
public final class EmulatorServer {

    private EmulatorServer() {
    }

    public static void main(String[] args) throws IOException {
        Path sqlFile = null;
        Path profileOut = null;
        Path store = null;
        long commitLagMillis = SnowpipeEmulator.DEFAULT_COMMIT_LAG.toMillis();
        boolean discard = false;
        long maxPendingMb = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sql-file" -> sqlFile = Path.of(args[++i]);
                case "--profile-out" -> profileOut = Path.of(args[++i]);
                case "--store" -> store = Path.of(args[++i]);
                case "--commit-lag-ms" -> commitLagMillis = Long.parseLong(args[++i]);
                case "--discard" -> discard = true;
                case "--max-pending-mb" -> maxPendingMb = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (sqlFile == null || profileOut == null) {
            throw new IllegalArgumentException("--sql-file and --profile-out are required");
        }
        // stdout carries the protocol only; anything else that prints goes to stderr.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        if (discard) {
            try (DiscardingServer server = DiscardingServer.start(commitLagMillis)) {
                serve(protocol, profileOut, server.clientProperties(), server.url(), server::rowsOfTable,
                        server::clear);
            }
            return;
        }
        SnowpipeEmulator.Builder builder = SnowpipeEmulator.builder()
                .sqlFile(sqlFile)
                .commitLag(Duration.ofMillis(commitLagMillis))
                .recordRequests(false);
        if (maxPendingMb > 0) {
            builder.maxPendingBytes(maxPendingMb * 1024 * 1024);
        }
        if (store != null) {
            builder.store(store);
        }
        try (SnowpipeEmulator emulator = builder.start()) {
            serve(protocol, profileOut, emulator.clientProperties(), emulator.url(),
                    table -> emulator.queryForLong("SELECT COUNT(*) FROM \"" + table + "\""),
                    table -> emulator.query("DELETE FROM \"" + table + "\""));
        }
    }

    private static void serve(PrintStream protocol, Path profileOut, Properties properties, String url,
                              java.util.function.ToLongFunction<String> count,
                              java.util.function.Consumer<String> clear) throws IOException {
        try (var out = Files.newOutputStream(profileOut)) {
            properties.store(out, "SDK client properties of the benchmark emulator");
        }
        protocol.println("@@ READY " + url);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "count" -> protocol.println("@@ COUNT " + count.applyAsLong(words[1]));
                    case "clear" -> {
                        clear.accept(words[1]);
                        protocol.println("@@ OK");
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> protocol.println("@@ ERROR unknown command " + words[0]);
                }
            } catch (RuntimeException e) {
                protocol.println("@@ ERROR " + e.getMessage());
            }
        }
    }
}
