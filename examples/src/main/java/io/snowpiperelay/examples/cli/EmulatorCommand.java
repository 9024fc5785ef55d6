package io.snowpiperelay.examples.cli;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code emulator}: a standalone Snowpipe Streaming emulator with the example's tables and pipes. */
@Command(name = "emulator",
        mixinStandardHelpOptions = true,
        description = {
                "Starts the testkit's Snowpipe Streaming emulator with docs/snowflake-setup.sql loaded (database,"
                        + " schema, the three tables and pipes), writes a profile.json for it, and serves until"
                        + " stopped (Ctrl-C). Point 'relay --profile' at that profile; query what landed with"
                        + " 'report --store'.",
                "The store keeps tables, rows and committed offsets across restarts on the same file."},
        sortOptions = false)
public final class EmulatorCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
            description = "TCP port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--store", paramLabel = "FILE",
            description = "SQLite file holding the landed rows (created if missing); default: in memory, lost on exit.")
    Path store;

    @Option(names = "--profile-out", paramLabel = "FILE", defaultValue = "emulator-profile.json",
            description = "Where to write the profile.json for this emulator (default: ${DEFAULT-VALUE}).")
    Path profileOut;

    @Option(names = "--commit-lag", paramLabel = "DURATION", defaultValue = "300ms", converter = DurationConverter.class,
            description = "Delay between an append and its commit (default: ${DEFAULT-VALUE}).")
    Duration commitLag;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        SnowpipeEmulator emulator = start(port, store, commitLag);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "ski-resort-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        writeProfile(emulator, profileOut);
        out.println("Snowpipe Streaming emulator listening on " + emulator.url());
        out.println("  store:   " + (store == null ? "in memory" : store.toAbsolutePath()));
        out.println("  objects: docs/snowflake-setup.sql (STREAMING_INGEST.STREAMING_INGEST: RESORT_TICKET, SEASON_PASS,"
                + " LIFT_RIDE and their _PIPEs)");
        out.println("  profile: " + profileOut.toAbsolutePath() + " (user " + emulator.user() + ", a key pair made for"
                + " this run)");
        out.println("Try: java -jar ski-resort.jar relay --outbox outbox.db --profile " + profileOut + " --until-drained");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Starts an emulator with the setup SQL; {@code store} null for in memory. */
    static SnowpipeEmulator start(int port, Path store, Duration commitLag) {
        SnowpipeEmulator.Builder builder = SnowpipeEmulator.builder()
                .port(port)
                .commitLag(commitLag)
                .sql(SetupSql.text());
        if (store != null) {
            builder.store(store);
        }
        return builder.start();
    }

    /**
     * Writes the SDK profile of {@code emulator} ({@link SnowpipeEmulator#writeProfile}: its URL, user, key, and the
     * client properties that keep the SDK's batches inline, since the emulator has no cloud storage for file
     * mode), creating the parent directory if needed.
     */
    static void writeProfile(SnowpipeEmulator emulator, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
        emulator.writeProfile(file);
    }
}
