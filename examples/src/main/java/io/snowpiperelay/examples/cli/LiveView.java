package io.snowpiperelay.examples.cli;

import io.snowpiperelay.examples.report.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@link RelayStatus} snapshots: on a terminal, a small table redrawn in place (a few lines, ANSI
 * cursor movement only); otherwise, for logs and CI, one plain line every {@link #PLAIN_INTERVAL}. Not
 * thread-safe: one thread renders.
 */
final class LiveView {

    /** How often a plain (non-terminal) view prints a line. */
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 40;
    private static final String CURSOR_UP = "\033[%dA";
    private static final String CLEAR_LINE = "\033[2K";

    private final PrintWriter out;
    private final boolean redraw;
    private final long targetRows;
    private int linesDrawn;
    private long lastPlainNanos = Long.MIN_VALUE;

    /**
     * @param out        where to print
     * @param redraw     redraw in place (a terminal) rather than print periodic lines
     * @param targetRows the rows expected in total, for the progress bar; 0 when unknown (the generated count
     *                   is used instead)
     */
    LiveView(PrintWriter out, boolean redraw, long targetRows) {
        this.out = out;
        this.redraw = redraw;
        this.targetRows = targetRows;
    }

    /** Whether this process writes to a terminal (and so the view can redraw in place). */
    static boolean isTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Shows {@code snapshot}; a plain view prints only if {@link #PLAIN_INTERVAL} has passed. */
    void render(RelayStatus.Snapshot snapshot) {
        if (redraw) {
            draw(lines(snapshot));
        } else {
            long now = System.nanoTime();
            if (lastPlainNanos == Long.MIN_VALUE || now - lastPlainNanos >= PLAIN_INTERVAL.toNanos()) {
                lastPlainNanos = now;
                out.println(plainLine(snapshot));
                out.flush();
            }
        }
    }

    /** Shows the final state: the full table, in both modes. */
    void finish(RelayStatus.Snapshot snapshot) {
        if (redraw) {
            draw(lines(snapshot));
        } else {
            lines(snapshot).forEach(out::println);
            out.flush();
        }
        linesDrawn = 0;
    }

    private void draw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (linesDrawn > 0) {
            text.append(String.format(CURSOR_UP, linesDrawn));
        }
        for (String line : lines) {
            text.append('\r').append(CLEAR_LINE).append(line).append('\n');
        }
        out.print(text);
        out.flush();
        linesDrawn = lines.size();
    }

    List<String> lines(RelayStatus.Snapshot snapshot) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RelayStatus.TableStatus table : snapshot.tables()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("TABLE", table.table().tableName());
            row.put("GENERATED", table.generated());
            row.put("APPENDED", table.appended());
            row.put("COMMITTED", table.committed());
            row.put("IN OUTBOX", table.inOutbox());
            row.put("ROWS/S", Math.round(table.rowsPerSecond()));
            row.put("COMMIT LAG", seconds(table.commitLag()));
            rows.add(row);
        }
        List<String> lines = new ArrayList<>(TextTable.format(rows, "  "));
        lines.add("  " + bar(snapshot));
        return lines;
    }

    private String bar(RelayStatus.Snapshot snapshot) {
        long total = targetRows > 0 ? targetRows : Math.max(1, snapshot.generated());
        long committed = snapshot.committed();
        double fraction = Math.min(1.0, committed / (double) total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)) + "  "
                + TextTable.number(committed) + " / " + TextTable.number(total) + " committed  "
                + elapsed(snapshot.elapsed());
    }

    String plainLine(RelayStatus.Snapshot snapshot) {
        long total = targetRows > 0 ? targetRows : snapshot.generated();
        StringBuilder line = new StringBuilder();
        line.append(elapsed(snapshot.elapsed())).append("  generated ").append(TextTable.number(snapshot.generated()))
                .append("  committed ").append(TextTable.number(snapshot.committed()));
        if (total > 0) {
            line.append(" / ").append(TextTable.number(total)).append(String.format(Locale.ROOT, " (%d%%)",
                    (int) Math.floor(Math.min(1.0, snapshot.committed() / (double) total) * 100)));
        }
        line.append("  in outbox ").append(TextTable.number(snapshot.inOutbox()))
                .append("  ").append(TextTable.number(Math.round(snapshot.rowsPerSecond()))).append(" rows/s");
        Duration lag = Duration.ZERO;
        for (RelayStatus.TableStatus table : snapshot.tables()) {
            if (table.commitLag().compareTo(lag) > 0) {
                lag = table.commitLag();
            }
        }
        line.append("  commit lag ").append(seconds(lag));
        return line.toString();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String elapsed(Duration elapsed) {
        long s = elapsed.getSeconds();
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
