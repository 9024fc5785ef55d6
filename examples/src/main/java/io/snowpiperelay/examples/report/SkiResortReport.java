package io.snowpiperelay.examples.report;

import io.snowpiperelay.examples.generator.SkiTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report printed by {@code report --store} and at the end of the demo: for each table the rows landed
 * (and their distinct TXIDs) checked against the rows generated, then the sections of {@link ReportQueries}.
 * Reads a store through a {@link Query} function, so it works on the embedded emulator and on a store file.
 *
 * <p>Immutable once {@link #run built}; {@link #countsMatch()} is what the demo's exit code is based on.
 */
public final class SkiResortReport {

    /** Runs one SQL query on the store and returns its rows (column name to value, in column order). */
    @FunctionalInterface
    public interface Query {
        List<Map<String, Object>> run(String sql);
    }

    /**
     * One table's count check.
     *
     * @param table         the table
     * @param expectedRows  the rows generated for it, or -1 when unknown (nothing to check against)
     * @param landedRows    the rows in the table
     * @param distinctTxids the distinct TXIDs among them: fewer than {@code landedRows} means duplicates
     */
    public record CountCheck(SkiTable table, long expectedRows, long landedRows, long distinctTxids) {

        /** Whether the table holds exactly the generated rows, each once. */
        public boolean matches() {
            return expectedRows >= 0 && landedRows == expectedRows && distinctTxids == landedRows;
        }

        /** Rows landed more than once (by TXID). */
        public long duplicates() {
            return landedRows - distinctTxids;
        }
    }

    /** A section's id and title (see {@link ReportQueries.Section}) and rows. */
    public record SectionResult(String id, String title, List<Map<String, Object>> rows) {
    }

    private final List<CountCheck> counts;
    private final String worldTime;
    private final List<SectionResult> sections;

    private SkiResortReport(List<CountCheck> counts, String worldTime, List<SectionResult> sections) {
        this.counts = List.copyOf(counts);
        this.worldTime = worldTime;
        this.sections = List.copyOf(sections);
    }

    /**
     * Queries the store.
     *
     * @param query        runs SQL on the store
     * @param expectedRows rows generated per table; a table missing from the map is reported without a check
     */
    public static SkiResortReport run(Query query, Map<SkiTable, Long> expectedRows) {
        Objects.requireNonNull(query, "query");
        List<CountCheck> counts = new ArrayList<>();
        for (SkiTable table : SkiTable.values()) {
            Map<String, Object> row = query.run("SELECT COUNT(*) AS ROWS_LANDED, COUNT(DISTINCT TXID) AS TXIDS FROM "
                    + table.tableName()).get(0);
            counts.add(new CountCheck(table, expectedRows.getOrDefault(table, -1L),
                    ((Number) row.get("ROWS_LANDED")).longValue(), ((Number) row.get("TXIDS")).longValue()));
        }
        List<Map<String, Object>> world = query.run(ReportQueries.WORLD_TIME);
        Object worldTime = world.isEmpty() ? null : world.get(0).get("WORLD_TIME");
        List<SectionResult> sections = new ArrayList<>();
        for (ReportQueries.Section section : ReportQueries.SECTIONS) {
            sections.add(new SectionResult(section.id(), section.title(), query.run(section.sql())));
        }
        return new SkiResortReport(counts, worldTime == null ? null : worldTime.toString(), sections);
    }

    /** The count check of every table, in {@link SkiTable} order. */
    public List<CountCheck> counts() {
        return counts;
    }

    /** Rows landed per table. */
    public Map<SkiTable, Long> landedRows() {
        Map<SkiTable, Long> landed = new EnumMap<>(SkiTable.class);
        for (CountCheck check : counts) {
            landed.put(check.table(), check.landedRows());
        }
        return Collections.unmodifiableMap(landed);
    }

    /** Whether every table was checked and holds exactly its generated rows, each once. */
    public boolean countsMatch() {
        return counts.stream().allMatch(CountCheck::matches);
    }

    /** The world clock: the latest event time in the data (UTC, ISO text), or {@code null} when there is none. */
    public String worldTime() {
        return worldTime;
    }

    /** The report sections with their rows. */
    public List<SectionResult> sections() {
        return sections;
    }

    /** Prints the count check, then every section. */
    public void print(PrintWriter out) {
        out.println("Rows per table (landed in the emulator store vs generated)");
        List<Map<String, Object>> rows = new ArrayList<>();
        long expectedTotal = 0;
        long landedTotal = 0;
        boolean checked = true;
        for (CountCheck check : counts) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("TABLE", check.table().tableName());
            row.put("GENERATED", check.expectedRows() < 0 ? null : check.expectedRows());
            row.put("LANDED", check.landedRows());
            row.put("DUPLICATES", check.duplicates());
            row.put("CHECK", check.expectedRows() < 0 ? "not checked" : check.matches() ? "ok" : "MISMATCH");
            rows.add(row);
            expectedTotal += Math.max(0, check.expectedRows());
            landedTotal += check.landedRows();
            checked &= check.expectedRows() >= 0;
        }
        TextTable.format(rows, "  ").forEach(out::println);
        if (!checked) {
            out.println("  (give --outbox to check the counts against what the generator wrote)");
        } else if (countsMatch()) {
            out.println("  All " + TextTable.number(landedTotal) + " generated rows landed, each exactly once.");
        } else {
            out.println("  MISMATCH: " + TextTable.number(landedTotal) + " rows landed, "
                    + TextTable.number(expectedTotal) + " generated."
                    + (landedTotal > expectedTotal ? " (Does the store also hold rows relayed from another outbox?)" : ""));
        }
        out.println();
        out.println("World clock (latest event time, UTC): " + (worldTime == null ? "-" : worldTime));
        for (SectionResult section : sections) {
            out.println();
            out.println(section.title());
            TextTable.format(section.rows(), "  ").forEach(out::println);
        }
        out.flush();
    }
}
