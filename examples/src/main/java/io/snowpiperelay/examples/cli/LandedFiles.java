package io.snowpiperelay.examples.cli;

import io.snowpiperelay.examples.dashboard.ReportCache;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.outbox.OutboxCredentials;
import io.snowpiperelay.examples.outbox.OutboxTableOptions;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine;

/** Opening the files the commands read: an existing outbox, an emulator's store; and checking they exist. */
final class LandedFiles {

    private LandedFiles() {
    }

    /**
     * Opens an outbox that must exist: a mistyped path must fail, not read (or drain) a new empty file; a PostgreSQL
     * outbox must have its tables.
     */
    static SkiOutbox openExistingOutbox(String location, OutboxCredentials credentials, OutboxTableOptions tables) {
        return SkiOutbox.open(location, credentials, false, tables, Map.of());
    }

    /** A read-only connection to an emulator's SQLite store, waiting up to 10 s while the emulator writes. */
    static Connection openStoreReadOnly(Path store) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return DriverManager.getConnection("jdbc:sqlite:" + store.toAbsolutePath(), config.toProperties());
    }

    /** A usage error unless {@code file} (given as {@code option}) is null or an existing regular file. */
    static void requireExisting(CommandLine commandLine, String option, Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(commandLine, option + " " + file + " does not exist");
        }
    }

    /**
     * A usage error unless {@code outbox} is null, a PostgreSQL JDBC URL (checked when opened) or an existing
     * regular file.
     */
    static void requireExistingOutbox(CommandLine commandLine, String outbox) {
        if (outbox != null && !SkiOutbox.isPostgres(outbox)) {
            requireExisting(commandLine, "--outbox", Path.of(outbox));
        }
    }

    /** Events generated per table: the events appended to the outbox, summed over the table's streams. */
    static Map<SkiTable, Long> issuedPerTable(SkiOutbox box) {
        Map<SkiTable, Long> issued = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            long sum = 0;
            for (String stream : box.streams()) {
                if (StreamLayout.belongsTo(stream, table)) {
                    sum += box.appendedCount(stream);
                }
            }
            issued.put(table, sum);
        }
        return issued;
    }

    /**
     * Where each table's rows are besides the table: still in the outbox and dead-lettered (when {@code box} is
     * given) and rejected by the service (the emulator's per-channel {@code rows_error_count}, summed per pipe).
     * What cannot be read is {@code null}.
     */
    static Map<SkiTable, ReportCache.Whereabouts> whereabouts(SkiOutbox box,
            io.snowpiperelay.examples.report.SkiResortReport.Query store) {
        Map<String, Long> rejectedByPipe = new java.util.HashMap<>();
        boolean rejectedKnown;
        try {
            for (Map<String, Object> row : store.run("SELECT pipe AS PIPE, SUM(rows_error_count) AS REJECTED"
                    + " FROM _emulator_channels GROUP BY pipe")) {
                rejectedByPipe.merge(String.valueOf(row.get("PIPE")).toUpperCase(java.util.Locale.ROOT),
                        ((Number) row.get("REJECTED")).longValue(), Long::sum);
            }
            rejectedKnown = true;
        } catch (RuntimeException notAnEmulatorStore) {
            rejectedKnown = false;
        }
        Map<SkiTable, ReportCache.Whereabouts> where = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            Long pending = null;
            Long deadLetters = null;
            if (box != null) {
                long p = 0;
                long d = 0;
                for (String stream : box.streams()) {
                    if (StreamLayout.belongsTo(stream, table)) {
                        p += box.pendingCount(stream);
                        d += box.deadLetterCount(stream);
                    }
                }
                pending = p;
                deadLetters = d;
            }
            Long rejected = rejectedKnown ? rejectedByPipe.getOrDefault(table.pipeName(), 0L) : null;
            where.put(table, new ReportCache.Whereabouts(pending, deadLetters, rejected));
        }
        return where;
    }
}
