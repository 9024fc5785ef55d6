package io.snowpiperelay.testkit.cli;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone emulator: {@code java -jar snowpipe-emulator.jar --port 8080 --store emulator.db --sql setup.sql}.
 * Prints the account URL, optionally writes a ready {@code profile.json}, and serves until killed.
 */
@Command(name = "snowpipe-emulator", mixinStandardHelpOptions = true, version = "snowpipe-emulator 0.1.0",
        description = "Local emulator of the Snowpipe Streaming REST service for the real Snowpipe Streaming SDK."
                + " Point the SDK's url at the printed URL (and use the profile it writes).")
public final class EmulatorMain implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port = 8080;

    @Option(names = "--store", description = "SQLite file holding tables, rows, channels and the SQL run so far;"
            + " created if missing, reopened as is. Default: in memory.")
    Path store;

    @Option(names = "--sql", description = "SQL script to run at start (repeatable). A script already run on this"
            + " store is not run again.")
    List<Path> sql = new ArrayList<>();

    @Option(names = "--commit-lag", description = "Delay between an append and its commit, as an ISO-8601 duration"
            + " (PT0.3S) or milliseconds. Default: 300.")
    String commitLag = "300";

    @Option(names = "--flush-interval", description = "Flush period asked of the SDK, milliseconds. Default: 50.")
    long flushIntervalMs = SnowpipeEmulator.DEFAULT_FLUSH_INTERVAL.toMillis();

    @Option(names = "--account", description = "Account name. Default: ${DEFAULT-VALUE}.")
    String account = SnowpipeEmulator.DEFAULT_ACCOUNT;

    @Option(names = "--user", description = "User for which a key pair is generated and put in the profile."
            + " Default: ${DEFAULT-VALUE}.")
    String user = SnowpipeEmulator.DEFAULT_USER;

    @Option(names = "--role", description = "Role written to the profile. Default: ${DEFAULT-VALUE}.")
    String role = SnowpipeEmulator.DEFAULT_ROLE;

    @Option(names = "--profile-out", description = "Write the SDK profile.json (url, user, account, private_key, role)"
            + " for this emulator to this file.")
    Path profileOut;

    /** Entry point. */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "snowpipe-emulator-logback.xml");
        }
        int code = new CommandLine(new EmulatorMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        SnowpipeEmulator.Builder builder = SnowpipeEmulator.builder()
                .port(port)
                .store(store)
                .commitLag(parseDuration(commitLag))
                .flushInterval(Duration.ofMillis(flushIntervalMs))
                .account(account)
                .user(user)
                .role(role)
                .recordRequests(false);
        for (Path file : sql) {
            builder.sqlFile(file);
        }
        SnowpipeEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "snowpipe-emulator-shutdown"));
        if (profileOut != null) {
            emulator.writeProfile(profileOut);
        }
        System.out.println("Snowpipe Streaming emulator listening on " + emulator.url());
        System.out.println("  account " + emulator.account() + ", user " + emulator.user()
                + (profileOut != null ? ", profile written to " + profileOut.toAbsolutePath() : "")
                + ", store " + (store == null ? "in memory" : store.toAbsolutePath()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofMillis(Long.parseLong(t));
        }
        return Duration.parse(t);
    }
}
