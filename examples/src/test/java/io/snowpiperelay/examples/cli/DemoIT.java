package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's demo in short form, in-process on the embedded emulator: the store must hold exactly the rows
 * the generator made for that seed, each once, and the outbox must be empty.
 */
class DemoIT {

    private static final int ROWS = 4_000;
    private static final long SEED = 7;

    @TempDir
    Path dir;

    private static Map<SkiTable, Long> expectedCounts(long seed, int rows) {
        Map<SkiTable, Long> counts = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            counts.put(table, 0L);
        }
        SkiResortGenerator generator = new SkiResortGenerator(seed);
        for (int i = 0; i < rows; i++) {
            counts.merge(generator.next().table(), 1L, Long::sum);
        }
        return counts;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void the_demo_lands_every_generated_row_exactly_once_and_exits_0() throws Exception {
        Path store = dir.resolve("store.db");
        Path outbox = dir.resolve("outbox.db");
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("demo", "--rows", String.valueOf(ROWS), "--rate", "4000",
                "--seed", String.valueOf(SEED), "--store", store.toString(), "--outbox", outbox.toString(),
                "--commit-lag", "100ms", "--plain", "--timeout", "3m");

        assertThat(exitCode).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        assertThat(out.toString()).contains("each exactly once", "OK: every count matches",
                "Revenue per resort per day", "Busiest lifts");
        Map<SkiTable, Long> expected = expectedCounts(SEED, ROWS);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store)) {
            for (SkiTable table : SkiTable.values()) {
                assertThat(count(connection, "SELECT COUNT(*) FROM " + table.tableName()))
                        .as(table.tableName()).isEqualTo(expected.get(table));
                assertThat(count(connection, "SELECT COUNT(DISTINCT TXID) FROM " + table.tableName()))
                        .as(table.tableName() + " distinct TXIDs").isEqualTo(expected.get(table));
            }
        }
        try (SqliteOutbox box = SqliteOutbox.open(outbox)) {
            for (SkiTable table : SkiTable.values()) {
                assertThat(box.pendingCount(table.streamName())).as(table.streamName()).isZero();
                assertThat(box.highestIssuedOffset(table.streamName())).hasValue(expected.get(table));
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void with_two_channels_per_table_each_stream_is_drained_on_its_own_channel() throws Exception {
        Path store = dir.resolve("store2.db");
        Path outbox = dir.resolve("outbox2.db");
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute("demo", "--rows", "2000", "--rate", "0", "--seed", "8",
                "--channels-per-table", "2", "--store", store.toString(), "--outbox", outbox.toString(),
                "--commit-lag", "100ms", "--plain", "--timeout", "3m");

        assertThat(exitCode).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
        Map<SkiTable, Long> expected = expectedCounts(8, 2_000);
        try (SqliteOutbox box = SqliteOutbox.open(outbox)) {
            for (SkiTable table : SkiTable.values()) {
                long issued = box.highestIssuedOffset(table.streamName() + "_0").orElse(0)
                        + box.highestIssuedOffset(table.streamName() + "_1").orElse(0);
                assertThat(issued).as(table.streamName()).isEqualTo(expected.get(table));
                assertThat(box.highestIssuedOffset(table.streamName())).isEmpty();
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store)) {
            for (SkiTable table : SkiTable.values()) {
                assertThat(count(connection, "SELECT COUNT(DISTINCT TXID) FROM " + table.tableName()))
                        .isEqualTo(count(connection, "SELECT COUNT(*) FROM " + table.tableName()))
                        .isEqualTo(expected.get(table));
            }
        }
    }
}
