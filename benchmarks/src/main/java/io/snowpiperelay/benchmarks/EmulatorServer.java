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
 * Arguments: {@code --sql-file F --profile-out F [--commit-lag-ms N] [--store F]}.
 */
public final class EmulatorServer {

    private EmulatorServer() {
    }

    public static void main(String[] args) throws IOException {
        Path sqlFile = null;
        Path profileOut = null;
        Path store = null;
        long commitLagMillis = SnowpipeEmulator.DEFAULT_COMMIT_LAG.toMillis();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sql-file" -> sqlFile = Path.of(args[++i]);
                case "--profile-out" -> profileOut = Path.of(args[++i]);
                case "--store" -> store = Path.of(args[++i]);
                case "--commit-lag-ms" -> commitLagMillis = Long.parseLong(args[++i]);
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
        SnowpipeEmulator.Builder builder = SnowpipeEmulator.builder()
                .sqlFile(sqlFile)
                .commitLag(Duration.ofMillis(commitLagMillis))
                .recordRequests(false);
        if (store != null) {
            builder.store(store);
        }
        try (SnowpipeEmulator emulator = builder.start()) {
            Properties properties = emulator.clientProperties();
            try (var out = Files.newOutputStream(profileOut)) {
                properties.store(out, "SDK client properties of the benchmark emulator");
            }
            protocol.println("@@ READY " + emulator.url());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                try {
                    switch (words[0]) {
                        case "count" -> protocol.println("@@ COUNT "
                                + emulator.queryForLong("SELECT COUNT(*) FROM \"" + words[1] + "\""));
                        case "clear" -> {
                            emulator.query("DELETE FROM \"" + words[1] + "\"");
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
}
