package io.snowpiperelay.types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a table's columns from SQL text: a whole {@code CREATE [OR REPLACE] TABLE name (...)} statement, or just
 * its column list ({@code "RIDE_ID NUMBER NOT NULL, RESORT VARCHAR(64), RIDE_AT TIMESTAMP_NTZ"}).
 *
 * <p>What it reads: each column's name (unquoted names upper-cased, {@code "quoted"} ones exact, as Snowflake
 * stores them), its type ({@link ColumnType#parse}), and whether it is {@code NOT NULL} or part of the primary key
 * (Snowflake enforces NOT NULL, and only NOT NULL, of all constraints). A NOT NULL column with a {@code DEFAULT},
 * {@code AUTOINCREMENT} or {@code IDENTITY} is read as nullable: the default pipe fills a missing key from it
 * (HP-PIPE, 2026), so a row without it must not be refused before sending. Everything else in a column definition
 * ({@code DEFAULT}, {@code COLLATE}, {@code COMMENT}, tags, policies) and table constraints other than PRIMARY KEY
 * are skipped. It is not an SQL validator: give it DDL that Snowflake accepts.
 *
 * <p>Stateless; thread-safe.
 */
public final class ColumnDefinitions {
    private ColumnDefinitions() {
    }

    /**
     * The columns of {@code sql}, in order.
     *
     * @throws IllegalArgumentException naming the column and the problem, when a column's name or type cannot be
     *                                  read, a name repeats, or there is no column
     */
    public static List<Column> parse(String sql) {
        Objects.requireNonNull(sql, "sql");
        List<String> tokens = tokenize(sql);
        int from = 0;
        int to = tokens.size();
        if (!tokens.isEmpty() && tokens.get(0).equalsIgnoreCase("CREATE")) {
            from = tokens.indexOf("(");
            if (from < 0) {
                throw new IllegalArgumentException("CREATE TABLE without a column list: " + abbreviate(sql));
            }
            to = closing(tokens, from);
            from++;
        }
        List<List<String>> items = new ArrayList<>();
        List<String> item = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < to; i++) {
            String t = tokens.get(i);
            if (t.equals("(")) {
                depth++;
            } else if (t.equals(")")) {
                depth--;
            }
            if (depth == 0 && t.equals(",")) {
                items.add(item);
                item = new ArrayList<>();
            } else {
                item.add(t);
            }
        }
        items.add(item);
        List<String> names = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        List<Boolean> notNull = new ArrayList<>();
        Set<String> primaryKey = new HashSet<>();
        for (List<String> definition : items) {
            if (definition.isEmpty()) {
                throw new IllegalArgumentException("empty column definition in: " + abbreviate(sql));
            }
            String first = definition.get(0).toUpperCase(Locale.ROOT);
            if (first.equals("CONSTRAINT") || first.equals("PRIMARY") || first.equals("UNIQUE")
                    || first.equals("FOREIGN")) {
                int pk = indexOfPair(definition, 0, "PRIMARY", "KEY");
                if (pk >= 0 && pk + 2 < definition.size() && definition.get(pk + 2).equals("(")) {
                    for (int i = pk + 3; i < definition.size() && !definition.get(i).equals(")"); i++) {
                        if (!definition.get(i).equals(",")) {
                            primaryKey.add(identifier(definition.get(i)));
                        }
                    }
                }
                continue;
            }
            String name = identifier(definition.get(0));
            if (names.contains(name)) {
                throw new IllegalArgumentException("column " + name + " is defined twice");
            }
            int pos = 1;
            if (pos >= definition.size()) {
                throw new IllegalArgumentException("column " + name + " has no type");
            }
            StringBuilder type = new StringBuilder(definition.get(pos++));
            String typeName = type.toString().toUpperCase(Locale.ROOT);
            if (typeName.equals("DOUBLE") && pos < definition.size() && definition.get(pos).equalsIgnoreCase("PRECISION")
                    || (typeName.equals("CHARACTER") || typeName.equals("CHAR") || typeName.equals("NCHAR"))
                    && pos < definition.size() && definition.get(pos).equalsIgnoreCase("VARYING")) {
                type.append(' ').append(definition.get(pos++));
            } else if (typeName.equals("TIMESTAMP") && pos < definition.size()
                    && (definition.get(pos).equalsIgnoreCase("WITH") || definition.get(pos).equalsIgnoreCase("WITHOUT"))) {
                while (pos < definition.size() && !definition.get(pos - 1).equalsIgnoreCase("ZONE")) {
                    type.append(' ').append(definition.get(pos++));
                }
            }
            if (pos < definition.size() && definition.get(pos).equals("(")) {
                int close = closing(definition, pos);
                for (int i = pos; i <= close; i++) {
                    type.append(definition.get(i));
                }
                pos = close + 1;
            }
            ColumnType columnType;
            try {
                columnType = ColumnType.parse(type.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column " + name + ": " + e.getMessage(), e);
            }
            boolean required = indexOfPair(definition, pos, "NOT", "NULL") >= 0 && !hasDefault(definition, pos);
            if (indexOfPair(definition, pos, "PRIMARY", "KEY") >= 0) {
                primaryKey.add(name);
            }
            names.add(name);
            types.add(columnType);
            notNull.add(required);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no columns in: " + abbreviate(sql));
        }
        List<Column> columns = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            columns.add(new Column(names.get(i), types.get(i), !notNull.get(i) && !primaryKey.contains(names.get(i))));
        }
        return List.copyOf(columns);
    }

    /** A name as Snowflake stores it: {@code "Quoted"} exactly (with {@code ""} for {@code "}), else upper-cased. */
    public static String identifier(String name) {
        if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
            return name.substring(1, name.length() - 1).replace("\"\"", "\"");
        }
        return name.toUpperCase(Locale.ROOT);
    }

    private static boolean hasDefault(List<String> tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            String t = tokens.get(i).toUpperCase(Locale.ROOT);
            if (t.equals("DEFAULT") || t.equals("AUTOINCREMENT") || t.equals("IDENTITY")) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfPair(List<String> tokens, int from, String first, String second) {
        for (int i = from; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equalsIgnoreCase(first) && tokens.get(i + 1).equalsIgnoreCase(second)) {
                return i;
            }
        }
        return -1;
    }

    private static int closing(List<String> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).equals("(")) {
                depth++;
            } else if (tokens.get(i).equals(")") && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses in the column definitions");
    }

    /** Words, quoted identifiers, string literals (kept whole so their commas do not split), and single symbols. */
    private static List<String> tokenize(String sql) {
        List<String> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int start = i++;
                while (i < n) {
                    if (sql.charAt(i) == c) {
                        if (i + 1 < n && sql.charAt(i + 1) == c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                if (i >= n) {
                    throw new IllegalArgumentException("unclosed " + (c == '"' ? "quoted identifier" : "string")
                            + " in the column definitions");
                }
                tokens.add(sql.substring(start, ++i));
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || "_$.".indexOf(sql.charAt(i)) >= 0)) {
                    i++;
                }
                tokens.add(sql.substring(start, i));
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }

    private static String abbreviate(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }
}
