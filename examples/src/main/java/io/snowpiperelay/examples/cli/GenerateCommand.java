package io.snowpiperelay.examples.cli;

import io.snowpiperelay.examples.generator.OutboxWriter;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.report.TextTable;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.OutboxTableOptions;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: adds ski-resort events to an outbox, then exits. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Generates ski-resort events (day tickets, season passes, lift rides) and appends them to an outbox"
                        + " (an SQLite file, or the outbox tables in PostgreSQL), one stream per table"
                        + " (RESORT_TICKET, SEASON_PASS, LIFT_RIDE). Adds to an existing outbox; exits when all rows"
                        + " are written.",
                "The same --seed gives the same events: use a new seed each time you add to the same outbox, or"
                        + " TXIDs and RFIDs repeat."},
        sortOptions = false)
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--outbox", required = true, paramLabel = "FILE|JDBC_URL",
            description = "The SQLite outbox file to append to (created if missing), or a PostgreSQL database,"
                    + " jdbc:postgresql://HOST:PORT/DB (with --outbox-user and --outbox-password), whose outbox tables"
                    + " are created if missing.")
    String outbox;

    @Mixin
    OutboxCredentials credentials;

    @Mixin
    OutboxTableOptions outboxTables;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "With a PostgreSQL --outbox: partitions of each stream, for 'relay --fleet --partitions N'"
                    + " (the same N for every producer and fleet member); 1 for a single relay"
                    + " (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Events to generate, all tables together (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Random seed; the same seed gives the same events (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
            description = "Events per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--channels-per-table", paramLabel = "N", defaultValue = "1",
            description = "Spread each table over N streams (<TABLE>_0..<TABLE>_N-1) so 'relay --channels-per-table N'"
                    + " can relay it on N channels; 1 writes to the stream <TABLE> (default: ${DEFAULT-VALUE}).")
    int channelsPerTable;

    @Option(names = "--world-start", paramLabel = "INSTANT",
            description = "Start of the simulated world clock, ISO-8601 UTC (default: "
                    + "2026-12-18T15:00:00Z, a Friday when the Colorado lifts open).")
    Instant worldStart;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (rows < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rows is " + rows + "; allowed: 0 or more");
        }
        try {
            StreamLayout.validate(channelsPerTable);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--channels-per-table: " + e.getMessage());
        }
        SkiResortGenerator generator = new SkiResortGenerator(seed,
                worldStart != null ? worldStart : SkiResortGenerator.DEFAULT_WORLD_START);
        Map<String, Integer> partitionsByStream = new LinkedHashMap<>();
        if (partitions != 1) {
            if (partitions < 1 || partitions > PostgresOutboxConfig.MAX_PARTITIONS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--partitions is " + partitions
                        + "; allowed: 1 to " + PostgresOutboxConfig.MAX_PARTITIONS);
            }
            for (SkiTable table : SkiTable.values()) {
                StreamLayout.streams(table, channelsPerTable).forEach(stream -> partitionsByStream.put(stream, partitions));
            }
        }
        SkiOutbox opened;
        try {
            opened = SkiOutbox.open(outbox, credentials, true, outboxTables, partitionsByStream);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (SkiOutbox box = opened) {
            long existing = 0;
            for (SkiTable table : SkiTable.values()) {
                for (String stream : StreamLayout.streams(table, channelsPerTable)) {
                    existing += box.appendedCount(stream);
                }
            }
            if (existing > 0) {
                out.println("Note: " + box.location() + " already received " + TextTable.number(existing) + " events; adding "
                        + TextTable.number(rows) + " more (seed " + seed + ": make sure earlier runs used other seeds).");
            }
            OutboxWriter writer = new OutboxWriter(box, generator, channelsPerTable);
            long start = System.nanoTime();
            long written = writer.write(rows, rate, () -> false);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "Generated %s events into %s in %.1f s (%s events/s): RESORT_TICKET %s,"
                            + " SEASON_PASS %s, LIFT_RIDE %s%n",
                    TextTable.number(written), box.location(), seconds, TextTable.number(Math.round(written / Math.max(seconds, 1e-3))),
                    TextTable.number(writer.written(SkiTable.RESORT_TICKET)),
                    TextTable.number(writer.written(SkiTable.SEASON_PASS)),
                    TextTable.number(writer.written(SkiTable.LIFT_RIDE)));
            out.flush();
        }
        return 0;
    }
}
