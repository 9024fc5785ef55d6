package io.snowpiperelay.examples.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats query rows as an aligned plain-text table: numbers right-aligned with thousands separators, text
 * left-aligned, {@code null} as empty. Plain ASCII so it reads the same in a terminal, a CI log and a file.
 */
public final class TextTable {

    private TextTable() {
    }

    /** The rows as lines (header, rule, one line per row), each prefixed with {@code indent}. */
    public static List<String> format(List<Map<String, Object>> rows, String indent) {
        List<String> lines = new ArrayList<>();
        if (rows.isEmpty()) {
            lines.add(indent + "(no rows yet)");
            return lines;
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        int[] widths = new int[columns.size()];
        boolean[] numeric = new boolean[columns.size()];
        boolean[] decimals = new boolean[columns.size()];
        List<String[]> cells = new ArrayList<>(rows.size());
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            numeric[c] = true;
        }
        for (Map<String, Object> row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                decimals[c] |= isFractional(row.get(columns.get(c)));
            }
        }
        for (Map<String, Object> row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Object value = row.get(columns.get(c));
                // A column with any fraction shows two decimals on every row, so the points line up.
                line[c] = decimals[c] && value instanceof Number n
                        ? String.format(Locale.ROOT, "%,.2f", n.doubleValue()) : cell(value);
                if (value != null && !(value instanceof Number)) {
                    numeric[c] = false;
                }
                widths[c] = Math.max(widths[c], line[c].length());
            }
            cells.add(line);
        }
        lines.add(indent + join(columns.toArray(new String[0]), widths, numeric));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            if (c > 0) {
                rule.append("  ");
            }
            rule.append("-".repeat(widths[c]));
        }
        lines.add(indent + rule);
        for (String[] line : cells) {
            lines.add(indent + join(line, widths, numeric));
        }
        return lines;
    }

    /** A number with thousands separators ({@code 1,234,567}; {@code 1,234.50} for decimals). */
    public static String number(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal && decimal.scale() <= 0) {
            return String.format(Locale.ROOT, "%,d", decimal.longValue());
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%,d", (long) d);
            }
            return String.format(Locale.ROOT, "%,.2f", d);
        }
        return String.valueOf(value);
    }

    private static boolean isFractional(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d != Math.rint(d);
        }
        return value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() > 0;
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return number(value);
        }
        return value.toString();
    }

    private static String join(String[] cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = cells[c];
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(numeric[c] ? pad + cell : cell + pad);
        }
        return line.toString().stripTrailing();
    }
}
