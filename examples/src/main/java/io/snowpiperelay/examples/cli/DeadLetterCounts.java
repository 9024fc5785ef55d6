package io.snowpiperelay.examples.cli;

import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import io.snowpiperelay.examples.report.TextTable;
import io.snowpiperelay.spi.DeadLetter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox's dead letters per ski-resort table: how many, and how many of them are marked "may have landed"
 * (kept because the relay could not tell which rows of a range the service rejected), for {@code report}.
 */
final class DeadLetterCounts {
    /** One table's dead letters. */
    record Line(SkiTable table, long deadLetters, long mayHaveLanded) { }

    private DeadLetterCounts() {
    }

    /** Counts the dead letters of every stream of every table. */
    static List<Line> perTable(SkiOutbox box) {
        Map<SkiTable, long[]> counts = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            counts.put(table, new long[2]);
        }
        for (String stream : box.streams()) {
            for (SkiTable table : SkiTable.values()) {
                if (StreamLayout.belongsTo(stream, table)) {
                    for (DeadLetter letter : box.deadLetters(stream)) {
                        counts.get(table)[0]++;
                        if (letter.reason().startsWith(DeadLetter.MAY_HAVE_LANDED)) {
                            counts.get(table)[1]++;
                        }
                    }
                }
            }
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach((table, c) -> lines.add(new Line(table, c[0], c[1])));
        return lines;
    }

    /** Prints the section; says so in one line when there are none. */
    static void print(List<Line> lines, PrintWriter out) {
        long total = lines.stream().mapToLong(Line::deadLetters).sum();
        out.println();
        out.println("Dead letters per table (rows the relay could not send or the service rejected;"
                + " kept in the outbox)");
        if (total == 0) {
            out.println("  none");
            out.flush();
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Line line : lines) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("TABLE", line.table().tableName());
            row.put("DEAD_LETTERS", line.deadLetters());
            row.put("MAY_HAVE_LANDED", line.mayHaveLanded());
            rows.add(row);
        }
        TextTable.format(rows, "  ").forEach(out::println);
        out.println("  " + TextTable.number(total) + " dead letter(s), with their reasons and payloads in the"
                + " outbox's dead-letter table (docs/sqlite-outbox.md, docs/postgres-outbox.md).");
        out.flush();
    }
}
