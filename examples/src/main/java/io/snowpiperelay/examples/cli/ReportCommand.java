package io.snowpiperelay.examples.cli;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.report.SkiResortReport;
import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.sqlite.SQLiteConfig;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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
                "Exit code 0 when the counts match (or there is nothing to check against), 1 otherwise."},
        sortOptions = false)
public final class ReportCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--store", paramLabel = "FILE",
                description = "The emulator's SQLite store ('emulator --store FILE', 'demo --store FILE').")
        Path store;

        @Option(names = "--profile", paramLabel = "FILE", description = "The SDK's profile.json of the account.")
        Path profile;
    }

    @Option(names = "--outbox", paramLabel = "FILE",
            description = "The outbox the rows were generated into: its offsets are what the counts are checked against.")
    Path outbox;

    @Option(names = "--channels-per-table", paramLabel = "N", defaultValue = "1",
            description = "With --profile and no --outbox: the channels to look at (default: ${DEFAULT-VALUE}).")
    int channelsPerTable;

    @Option(names = "--database", paramLabel = "NAME", defaultValue = SetupSql.DATABASE,
            description = "With --profile: database of the pipes (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = SetupSql.SCHEMA,
            description = "With --profile: schema of the pipes (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--channel-prefix", paramLabel = "PREFIX", defaultValue = SkiResortRelay.DEFAULT_CHANNEL_PREFIX,
            description = "With --profile: the relay's channel prefix (default: ${DEFAULT-VALUE}).")
    String channelPrefix;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        if (outbox != null && !Files.isRegularFile(outbox)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--outbox " + outbox + " does not exist");
        }
        return target.store != null ? storeReport() : snowflakeReport();
    }

    private int storeReport() throws SQLException {
        if (!Files.isRegularFile(target.store)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--store " + target.store + " does not exist");
        }
        Map<SkiTable, Long> expected = new EnumMap<>(SkiTable.class);
        if (outbox != null) {
            try (SqliteOutbox box = openExisting(outbox)) {
                for (SkiTable table : SkiTable.values()) {
                    long issued = 0;
                    for (String stream : box.streams()) {
                        if (StreamLayout.belongsTo(stream, table)) {
                            issued += box.highestIssuedOffset(stream).orElse(0);
                        }
                    }
                    expected.put(table, issued);
                }
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target.store.toAbsolutePath(),
                config.toProperties())) {
            SkiResortReport report = SkiResortReport.run(sql -> query(connection, sql), expected);
            report.print(spec.commandLine().getOut());
            return outbox == null || report.countsMatch() ? 0 : 1;
        }
    }

    private int snowflakeReport() {
        ClientProfile profile = ClientProfile.fromJsonFile(target.profile);
        List<RelayCounts.Line> lines = new ArrayList<>();
        Map<PipeName, List<String>> channelsByPipe = new LinkedHashMap<>();
        Map<String, long[]> generatedByChannel = new LinkedHashMap<>();
        SqliteOutbox box = outbox == null ? null : openExisting(outbox);
        try {
            for (SkiTable table : SkiTable.values()) {
                List<String> streams = new ArrayList<>();
                if (box != null) {
                    for (String stream : box.streams()) {
                        if (StreamLayout.belongsTo(stream, table)) {
                            streams.add(stream);
                        }
                    }
                } else {
                    streams.addAll(StreamLayout.streams(table, channelsPerTable));
                }
                PipeName pipe = PipeName.of(database, schema, table.pipeName());
                for (String stream : streams) {
                    String channel = channelPrefix + "_" + stream;
                    channelsByPipe.computeIfAbsent(pipe, p -> new ArrayList<>()).add(channel);
                    generatedByChannel.put(channel, new long[] {
                            table.ordinal(), box == null ? -1 : box.highestIssuedOffset(stream).orElse(0)});
                }
            }
        } finally {
            if (box != null) {
                box.close();
            }
        }
        Map<String, Long> committed = CommittedOffsets.read(profile, channelsByPipe);
        for (Map.Entry<String, long[]> entry : generatedByChannel.entrySet()) {
            String channel = entry.getKey();
            SkiTable table = SkiTable.values()[(int) entry.getValue()[0]];
            lines.add(new RelayCounts.Line(table, channel.substring(channelPrefix.length() + 1), channel,
                    entry.getValue()[1], committed.getOrDefault(channel, 0L)));
        }
        boolean match = RelayCounts.print(lines, database, schema, spec.commandLine().getOut());
        return outbox == null || match ? 0 : 1;
    }

    private static SqliteOutbox openExisting(Path file) {
        return SqliteOutbox.open(file, OutboxConfig.builder().createIfMissing(false).build());
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
