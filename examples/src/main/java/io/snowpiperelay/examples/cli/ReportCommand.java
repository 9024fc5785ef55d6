package io.snowpiperelay.examples.cli;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.report.SkiResortReport;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.OutboxTableOptions;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code report}: row counts and the quickstart's reports, from an emulator store or from Snowflake's offsets. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {
                "Prints what landed. With --store (an emulator's SQLite store): rows per table checked against what"
                        + " was generated (--outbox), then the quickstart's reports as queries: revenue per resort"
                        + " per day, lift rides per hour, busiest lifts, day tickets vs season passes.",
                "With --profile (real Snowflake): Snowpipe Streaming cannot query tables, so it prints the relay's"
                        + " committed offsets per channel against the outbox, and the Snowflake queries to run"
                        + " (dynamic tables of docs/snowflake-setup.sql).",
                "With --outbox, also the dead letters per table: rows the relay could not send or Snowflake"
                        + " rejected, kept in the outbox's dead_letter table with their reasons.",
                "Exit code 0 when the counts match (or there is nothing to check against), 1 otherwise."},
        sortOptions = false)
public final class ReportCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    LandedTarget target;

    @Option(names = "--outbox", paramLabel = "FILE|JDBC_URL",
            description = "The outbox the rows were generated into (an SQLite file, or a PostgreSQL database,"
                    + " jdbc:postgresql://HOST:PORT/DB): the events appended to it are what the counts are checked"
                    + " against.")
    String outbox;

    @Mixin
    OutboxCredentials credentials;

    @Mixin
    OutboxTableOptions outboxTables;

    @Mixin
    RelayChannelOptions channels;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        LandedFiles.requireExistingOutbox(spec.commandLine(), outbox);
        return target.store != null ? storeReport() : snowflakeReport();
    }

    private int storeReport() throws SQLException {
        LandedFiles.requireExisting(spec.commandLine(), "--store", target.store);
        Map<SkiTable, Long> expected = new EnumMap<>(SkiTable.class);
        if (outbox != null) {
            try (SkiOutbox box = LandedFiles.openExistingOutbox(outbox, credentials, outboxTables)) {
                expected.putAll(LandedFiles.issuedPerTable(box));
            }
        }
        try (Connection connection = LandedFiles.openStoreReadOnly(target.store)) {
            SkiResortReport report = SkiResortReport.run(sql -> query(connection, sql), expected);
            report.print(spec.commandLine().getOut());
            printDeadLetters();
            return outbox == null || report.countsMatch() ? 0 : 1;
        }
    }

    private int snowflakeReport() {
        ClientProfile profile = ClientProfile.fromJsonFile(target.profile);
        List<RelayChannelOptions.Channel> relayChannels;
        Map<String, Long> generated = new LinkedHashMap<>();
        try (SkiOutbox box = outbox == null ? null : LandedFiles.openExistingOutbox(outbox, credentials, outboxTables)) {
            relayChannels = channels.channels(box);
            for (RelayChannelOptions.Channel channel : relayChannels) {
                generated.put(channel.name(), box == null ? -1 : box.appendedCount(channel.stream()));
            }
        }
        Map<String, Long> committed = CommittedOffsets.read(profile, channels.byPipe(relayChannels));
        List<RelayCounts.Line> lines = new ArrayList<>();
        for (RelayChannelOptions.Channel channel : relayChannels) {
            lines.add(new RelayCounts.Line(channel.table(), channel.stream(), channel.name(),
                    generated.get(channel.name()), committed.getOrDefault(channel.name(), 0L)));
        }
        boolean match = RelayCounts.print(lines, channels.database, channels.schema, spec.commandLine().getOut());
        printDeadLetters();
        return outbox == null || match ? 0 : 1;
    }

    private void printDeadLetters() {
        if (outbox == null) {
            return;
        }
        try (SkiOutbox box = LandedFiles.openExistingOutbox(outbox, credentials, outboxTables)) {
            DeadLetterCounts.print(DeadLetterCounts.perTable(box), spec.commandLine().getOut());
        }
    }

    static List<Map<String, Object>> query(Connection connection, String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.put(meta.getColumnLabel(c), rs.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("report query failed: " + e.getMessage() + " (is this an emulator store"
                    + " loaded with docs/snowflake-setup.sql?)", e);
        }
    }
}
