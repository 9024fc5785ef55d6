package io.snowpiperelay.examples.cli;

import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.report.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What can be reported against real Snowflake: Snowpipe Streaming cannot run queries, so the check is the
 * relay's own bookkeeping, per channel: offsets generated into the outbox against offsets Snowflake confirmed
 * as committed. The rows themselves, and the quickstart's reports, are queried in Snowflake (the dynamic
 * tables of {@code docs/snowflake-setup.sql}).
 */
final class RelayCounts {

    /**
     * One channel's numbers.
     *
     * @param generated the highest offset issued in its outbox stream (= events written to it), or -1 if unknown
     * @param committed the highest offset Snowflake confirmed as committed
     */
    record Line(SkiTable table, String stream, String channel, long generated, long committed) {

        boolean matches() {
            return generated >= 0 && committed == generated;
        }
    }

    private RelayCounts() {
    }

    /** Prints the lines and the pointer to the Snowflake side; returns whether every channel is fully committed. */
    static boolean print(List<Line> lines, String database, String schema, PrintWriter out) {
        out.println("Relay progress per channel (Snowpipe Streaming cannot query tables: these are the relay's"
                + " offsets)");
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean allKnown = true;
        boolean allMatch = true;
        long generated = 0;
        long committed = 0;
        for (Line line : lines) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("TABLE", line.table().tableName());
            row.put("CHANNEL", line.channel());
            row.put("GENERATED", line.generated() < 0 ? null : line.generated());
            row.put("COMMITTED", line.committed());
            row.put("CHECK", line.generated() < 0 ? "not checked" : line.matches() ? "ok" : "NOT YET");
            rows.add(row);
            allKnown &= line.generated() >= 0;
            allMatch &= line.matches();
            generated += Math.max(0, line.generated());
            committed += line.committed();
        }
        TextTable.format(rows, "  ").forEach(out::println);
        if (!allKnown) {
            out.println("  (give --outbox to compare with what was generated)");
        } else if (allMatch) {
            out.println("  All " + TextTable.number(generated) + " generated rows are committed in Snowflake.");
        } else {
            out.println("  " + TextTable.number(committed) + " of " + TextTable.number(generated)
                    + " generated rows are committed so far.");
        }
        out.println();
        out.println("To see the rows and the reports, query Snowflake as role STREAMING_INGEST, e.g.:");
        String prefix = database + "." + schema + ".";
        for (SkiTable table : SkiTable.values()) {
            out.println("  SELECT COUNT(*), COUNT(DISTINCT TXID) FROM " + prefix + table.tableName() + ";");
        }
        out.println("  SELECT * FROM " + prefix + "DAILY_RESORT_SUMMARY ORDER BY RIDE_DATE, RESORT;");
        out.println("  SELECT * FROM " + prefix + "DAILY_SALES ORDER BY SALE_DATE, RESORT;");
        out.println("  SELECT * FROM " + prefix + "V_LIFT_PERFORMANCE_30MIN WHERE USAGE_RANK_IN_RESORT <= 3;");
        out.println("The dynamic tables and views are defined in docs/snowflake-setup.sql (they refresh within"
                + " about a minute).");
        out.flush();
        return allKnown && allMatch;
    }
}
