package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.examples.cli.SetupSql;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay the torture harness kills: one {@link RelayGroup} relaying the three ski-resort streams of an outbox
 * file ({@code RESORT_TICKET}, {@code SEASON_PASS}, {@code LIFT_RIDE}) to their pipes, as an application would.
 * It prints one marker line per event ({@link Markers}) so the harness can kill it at chosen moments; nothing is
 * printed per row. It runs until its stdin is closed (then closes gracefully) or it is killed.
 *
 * <pre>
 * RelayMain --outbox FILE --profile FILE --channel-prefix P [--database D] [--schema S]
 *           [--delete-chunk-rows N] [--close-timeout-ms N] [--reopen-backoff-max-ms N] [--streams A,B]
 * </pre>
 * Exit code 0 after a graceful close, 2 after a graceful close when a channel failed, 3 when it could not start.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        PrintStream out = System.out;
        Path outboxFile = Path.of(required(options, "--outbox"));
        Path profileFile = Path.of(required(options, "--profile"));
        String prefix = required(options, "--channel-prefix");
        String database = options.getOrDefault("--database", SetupSql.DATABASE);
        String schema = options.getOrDefault("--schema", SetupSql.SCHEMA);
        int deleteChunkRows = Integer.parseInt(options.getOrDefault("--delete-chunk-rows", "1000"));
        RunnerConfig config = RunnerConfig.builder()
                .closeTimeout(Duration.ofMillis(Long.parseLong(options.getOrDefault("--close-timeout-ms", "30000"))))
                .reopenBackoffMax(Duration.ofMillis(Long.parseLong(options.getOrDefault("--reopen-backoff-max-ms",
                        "5000"))))
                .build();
        List<String> streams = new ArrayList<>();
        if (options.containsKey("--streams")) {
            streams.addAll(List.of(options.get("--streams").split(",")));
        } else {
            for (SkiTable table : SkiTable.values()) {
                streams.add(table.streamName());
            }
        }

        AtomicInteger fatal = new AtomicInteger();
        RelayListener listener = new MarkerListener(out, fatal);
        SqliteOutbox outbox;
        List<SqliteOffsetSource> sources = new ArrayList<>();
        RelayGroup group;
        try {
            ClientProfile profile = ClientProfile.fromJsonFile(profileFile);
            outbox = SqliteOutbox.open(outboxFile, OutboxConfig.builder().deleteChunkRows(deleteChunkRows).build());
            RelayGroup.Builder builder = RelayGroup.builder()
                    .profile(profile)
                    .config(config)
                    .clientNamePrefix("torture-" + ProcessHandle.current().pid())
                    .listener(listener);
            for (String stream : streams) {
                SqliteOffsetSource source = outbox.openSource(stream);
                sources.add(source);
                String channel = prefix + "_" + stream;
                PipeName pipe = PipeName.of(database, schema, stream + "_PIPE");
                builder.channel(pipe, channel, new MarkingSource(source, channel, out), source, null);
            }
            group = builder.build();
        } catch (RuntimeException e) {
            refuse(out, e, () -> sources.forEach(SqliteOffsetSource::close));
            return;
        }
        SqliteOutbox opened = outbox;
        serveUntilStdinCloses(out, group, fatal, () -> {
            sources.forEach(SqliteOffsetSource::close);
            opened.close();
        });
    }

    /** Prints {@link Markers#REFUSED} for a relay that could not start, runs {@code cleanup}, and exits 3. */
    static void refuse(PrintStream out, RuntimeException e, Runnable cleanup) {
        out.println(Markers.REFUSED + " " + e.getClass().getName() + ": " + oneLine(e.getMessage()));
        e.printStackTrace();
        cleanup.run();
        System.exit(3);
    }

    /**
     * What a relay process does once its group is built: starts it, prints {@link Markers#READY}, runs until the
     * harness closes stdin (graceful stop) or kills the process, then closes the group, runs {@code cleanup}
     * (sources, outbox), prints {@link Markers#CLOSED} and exits: 0, or 2 when a channel failed.
     */
    static void serveUntilStdinCloses(PrintStream out, RelayGroup group, AtomicInteger fatal, Runnable cleanup)
            throws IOException {
        group.start();
        out.println(Markers.READY + " " + ProcessHandle.current().pid());
        while (System.in.read() >= 0) {
            // ignore input
        }
        group.close();
        cleanup.run();
        out.println(Markers.CLOSED + " " + fatal.get());
        out.flush();
        System.exit(fatal.get() == 0 ? 0 : 2);
    }

    static String oneLine(String s) {
        return s == null ? "null" : s.replace('\n', ' ').replace('\r', ' ');
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    /** Prints one line per runner event; called from the runners' threads (PrintStream is synchronised). */
    static final class MarkerListener implements RelayListener {
        private final PrintStream out;
        private final AtomicInteger fatal;

        MarkerListener(PrintStream out, AtomicInteger fatal) {
            this.out = out;
            this.fatal = fatal;
        }

        @Override
        public void opened(String channel, long committedOffset) {
            out.println(Markers.OPENED + " " + channel + " " + committedOffset);
        }

        @Override
        public void appended(String channel, long firstOffset, long lastOffset, int rows) {
            out.println(Markers.APPENDED + " " + channel + " " + firstOffset + " " + lastOffset);
        }

        @Override
        public void committed(String channel, long committedOffset) {
            out.println(Markers.COMMITTED + " " + channel + " " + committedOffset);
        }

        @Override
        public void reopened(String channel, long resumeAfterOffset, Throwable cause) {
            out.println(Markers.REOPENED + " " + channel + " " + resumeAfterOffset + " " + cause.getClass().getSimpleName()
                    + ": " + oneLine(cause.getMessage()));
        }

        @Override
        public void rowErrors(String channel, long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
            out.println(Markers.ROW_ERRORS + " " + channel + " " + newErrors + " " + lastErrorOffsetUpperBound);
        }

        @Override
        public void deadLettered(String channel, DeadLetter deadLetter) {
            out.println(Markers.DEAD_LETTER + " " + channel + " " + deadLetter.offset());
        }

        @Override
        public void fatal(String channel, Throwable error) {
            fatal.incrementAndGet();
            out.println(Markers.FATAL + " " + channel + " " + error.getClass().getName() + ": "
                    + oneLine(error.getMessage()));
            error.printStackTrace();
        }
    }
}
