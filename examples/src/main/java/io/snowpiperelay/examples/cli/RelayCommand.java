package io.snowpiperelay.examples.cli;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.RelayException;
import io.snowpiperelay.SourceRegressionException;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.OutboxTableOptions;
import io.snowpiperelay.examples.outbox.PostgresSkiOutbox;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code relay}: drains the outbox into the three pipes. */
@Command(name = "relay",
        mixinStandardHelpOptions = true,
        description = {
                "Relays the outbox into Snowflake (or an emulator), exactly once: one RelayGroup with one channel per"
                        + " outbox stream on the pipes RESORT_TICKET_PIPE, SEASON_PASS_PIPE and LIFT_RIDE_PIPE. Rows"
                        + " are deleted from the outbox once Snowflake has committed them.",
                "Runs until stopped (Ctrl-C closes the channels gracefully), or with --until-drained until the"
                        + " outbox is empty and everything is committed. A restart resumes where the committed"
                        + " offsets say, so nothing is lost or sent twice.",
                "Rows Snowflake rejects (a value that does not fit its column) are kept in the outbox's dead_letter"
                        + " table with the reason; the relay then ends with one line: rows sent, rows rejected, dead"
                        + " letters. Exit code 2 when rows were rejected and not kept."},
        sortOptions = false)
public final class RelayCommand implements Callable<Integer> {

    @Option(names = "--outbox", required = true, paramLabel = "FILE|JDBC_URL",
            description = "The outbox to drain: an SQLite file, or a PostgreSQL database, jdbc:postgresql://HOST:PORT/DB"
                    + " (with --outbox-user and --outbox-password).")
    String outbox;

    @Mixin
    OutboxCredentials credentials;

    @Option(names = "--fleet",
            description = "Join a fleet of relays over a PostgreSQL --outbox: every process started with --fleet on the"
                    + " same outbox takes an even share of the partitions (channels <TABLE>_P<n>), and takes over"
                    + " the share of a process that stops or dies (docs/scaling-out.md).")
    boolean fleet;

    @Mixin
    OutboxTableOptions outboxTables;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "8",
            description = "With --fleet: partitions of each stream; the same for every producer ('generate"
                    + " --partitions N') and member (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--streams", paramLabel = "TABLE", split = ",",
            description = "With --fleet: the streams to relay, e.g. LIFT_RIDE (default: all three).")
    List<SkiTable> streams;

    @Option(names = "--member-id", paramLabel = "ID",
            description = "With --fleet: this member's id, unique in the fleet (default: <host>-<pid>-<random>).")
    String memberId;

    @Option(names = "--lease", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "15s",
            description = "With --fleet: lease duration (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(names = "--heartbeat", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "3s", description = "With --fleet: renewal interval (default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--renew-margin", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5s", description = "With --fleet: a member stops writing this long before its"
            + " unrenewed lease expires; heartbeat * 3 must stay below lease - margin (default: ${DEFAULT-VALUE}).")
    Duration renewMargin;

    @Option(names = "--profile", required = true, paramLabel = "FILE",
            description = "The SDK's profile.json: user, account, url, private_key (or private_key_file), role."
                    + " 'emulator' writes one for itself.")
    Path profile;

    @Option(names = "--until-drained",
            description = "Exit 0 once the outbox is empty and every row is committed or kept as a dead letter"
                    + " (1 if a channel fails, 2 if rows were rejected and not kept).")
    boolean untilDrained;

    @Option(names = "--channels-per-table", paramLabel = "N", defaultValue = "1",
            description = "Channels per table; must match 'generate --channels-per-table' (default: ${DEFAULT-VALUE}).")
    int channelsPerTable;

    @Mixin
    PipeOptions pipes;

    @Option(names = "--channel-prefix", paramLabel = "PREFIX", defaultValue = SkiResortRelay.DEFAULT_CHANNEL_PREFIX,
            description = "Channel names are PREFIX_<stream>. Keep it for restarts on the same outbox; change it for a"
                    + " new outbox (default: ${DEFAULT-VALUE}).")
    String channelPrefix;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --until-drained: give up (exit 1) after this long, e.g. 10m; default: no limit.")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (fleet) {
            return runFleet(out, err);
        }
        try {
            StreamLayout.validate(channelsPerTable);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--channels-per-table: " + e.getMessage());
        }
        if (!SkiOutbox.isPostgres(outbox) && !Files.isRegularFile(Path.of(outbox))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--outbox " + outbox + " does not exist;"
                    + " write to it first (e.g. 'generate --outbox " + outbox + "')");
        }
        ClientProfile clientProfile = ClientProfile.fromJsonFile(profile);
        // A relay never creates the outbox: a mistyped path must fail, not drain a new empty file.
        try (SkiOutbox box = LandedFiles.openExistingOutbox(outbox, credentials, outboxTables)) {
            warnAboutOtherStreams(box, err);
            SkiResortRelay relay = SkiResortRelay.open(box, clientProfile, pipes.database, pipes.schema,
                    channelsPerTable, channelPrefix, new RelayListener() { });
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                // Ctrl-C: close gracefully (bounded); what is not committed stays in the outbox.
                relay.close();
                stopped.countDown();
            }, "ski-resort-relay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                relay.start();
                String url = clientProfile.property(ClientProfile.URL);
                out.println("Relaying " + box.location() + " on " + relay.channels().size() + " channels to "
                        + pipes.database + "." + pipes.schema + " ("
                        + (url != null ? url : "account " + clientProfile.account()) + ")");
                out.flush();
                RelayStatus status = new RelayStatus(relay, box, null);
                LiveView view = new LiveView(out, LiveView.isTerminal(), 0);
                UnreachableNotice unreachable = new UnreachableNotice(err, UnreachableNotice.DEFAULT_REPEAT_EVERY);
                long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
                while (true) {
                    Map<String, Throwable> failures = relay.failures();
                    if (!failures.isEmpty()) {
                        failures.forEach((channel, error) -> err.println("channel " + channel + " failed: "
                                + error.getMessage()));
                        if (failures.values().stream().anyMatch(e -> e instanceof SourceRegressionException)) {
                            err.println("hint: these channels were fed by another outbox before; for a new outbox"
                                    + " use a new --channel-prefix (now " + channelPrefix + ")");
                        }
                        err.flush();
                        return 1;
                    }
                    if (untilDrained && relay.isDrained() && pending(box, relay) == 0) {
                        view.finish(status.sample());
                        RelaySummary summary = RelaySummary.of(relay.metrics());
                        if (!summary.anythingSetAside()) {
                            out.println("Drained: the outbox is empty and every row is committed.");
                            out.flush();
                            return 0;
                        }
                        out.println("Drained: the outbox is empty. " + summary.line(box.location()));
                        out.flush();
                        return summary.rejectedNotKept() ? 2 : 0;
                    }
                    if (System.nanoTime() > deadline) {
                        view.finish(status.sample());
                        err.println("not drained after " + timeout + "; what is not committed stays in the outbox");
                        err.flush();
                        return 1;
                    }
                    unreachable.update(relay.metrics().values(), System.nanoTime());
                    view.render(status.sample());
                    out.flush();
                    if (stopped.await(200, TimeUnit.MILLISECONDS)) {
                        RelaySummary summary = RelaySummary.of(relay.metrics());
                        if (summary.anythingSetAside()) {
                            out.println(summary.line(box.location()));
                            out.flush();
                        }
                        return summary.rejectedNotKept() ? 2 : 0;
                    }
                }
            } catch (RelayException e) {
                err.println("relay failed: " + e.getMessage());
                err.flush();
                return 1;
            } finally {
                relay.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running: nothing to remove.
                }
            }
        }
    }

    private int runFleet(PrintWriter out, PrintWriter err) throws InterruptedException {
        if (!SkiOutbox.isPostgres(outbox)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fleet needs --outbox"
                    + " jdbc:postgresql://HOST:PORT/DATABASE (the fleet's leases live in the outbox's database)");
        }
        if (untilDrained) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--until-drained does not apply to --fleet:"
                    + " a member runs until stopped (SIGTERM or Ctrl-C drains and releases its partitions)");
        }
        List<SkiTable> tables = streams == null || streams.isEmpty() ? List.of(SkiTable.values()) : streams;
        FleetRelay.Settings settings = new FleetRelay.Settings(PostgresSkiOutbox.dataSource(outbox, credentials),
                outboxTables.tablePrefix(), tables, partitions, memberId, lease, heartbeat, renewMargin, pipes.database,
                pipes.schema);
        try {
            return FleetRelay.run(settings, ClientProfile.fromJsonFile(profile), out, err);
        } catch (IllegalArgumentException | RelayException e) {
            err.println("relay --fleet failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static long pending(SkiOutbox box, SkiResortRelay relay) {
        long pending = 0;
        for (SkiResortRelay.Channel channel : relay.channels()) {
            pending += box.pendingCount(channel.stream());
        }
        return pending;
    }

    private void warnAboutOtherStreams(SkiOutbox box, PrintWriter err) {
        for (String stream : box.streams()) {
            for (SkiTable table : SkiTable.values()) {
                if (StreamLayout.belongsTo(stream, table)
                        && !StreamLayout.streams(table, channelsPerTable).contains(stream)
                        && box.pendingCount(stream) > 0) {
                    err.println("warning: stream " + stream + " holds " + box.pendingCount(stream) + " rows that"
                            + " --channels-per-table " + channelsPerTable + " does not relay; use the value given to"
                            + " 'generate'");
                }
            }
        }
        err.flush();
    }
}
