package io.snowpiperelay.testkit.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A table as created by {@code CREATE TABLE}. Names follow Snowflake's identifier rules (unquoted
 * upper-cased, quoted exact). Immutable.
 *
 * @param database the database name
 * @param schema   the schema name
 * @param name     the table name
 * @param columns  the columns in declaration order
 */
public record TableDef(String database, String schema, String name, List<Column> columns) {

    public TableDef {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " has no columns");
        }
    }

    /** {@code DATABASE.SCHEMA.TABLE}, quoted where a part would not survive unquoted. */
    public String qualifiedName() {
        return Identifiers.render(database) + "." + Identifiers.render(schema) + "." + Identifiers.render(name);
    }

    /** The index of the column with exactly this (already normalised) name, or -1. */
    public int columnIndex(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A SQLite {@code CREATE TABLE IF NOT EXISTS} statement for a table that stores this table's rows, with
     * the columns in order, names double-quoted exactly, and the types of {@link ColumnType#sqliteType()}.
     * NOT NULL is deliberately not declared: {@code RowMapper} enforces it with Snowflake's error, and a
     * SQLite constraint would instead fail the whole insert (SQLite also stores a NaN double as NULL).
     *
     * @param sqliteTableName the SQLite table name, quoted by this method
     */
    public String sqliteCreateTable(String sqliteTableName) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(sqliteQuote(sqliteTableName)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(sqliteQuote(c.name())).append(' ').append(c.type().sqliteType());
        }
        return sql.append(')').toString();
    }

    /** Double-quotes an identifier for SQLite, doubling embedded quotes. */
    public static String sqliteQuote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
