package io.snowpiperelay.testkit.catalog;

import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
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
     * the columns in order, names double-quoted exactly, and the types of {@link #sqliteType}.
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
            sql.append(sqliteQuote(c.name())).append(' ').append(sqliteType(c.type()));
        }
        return sql.append(')').toString();
    }

    /**
     * The declared SQLite type of the column that stores {@code type}; it picks the SQLite affinity so that
     * the values {@code RowMapper} produces keep their storage class:
     * <ul>
     *   <li>NUMBER(p,0), BOOLEAN → {@code INTEGER} (64-bit integers; BOOLEAN as 0/1);</li>
     *   <li>NUMBER(p,s&gt;0) → {@code NUMERIC}: SQLite has no decimal type, so an exact decimal becomes
     *       INTEGER when whole and REAL otherwise; that keeps {@code SUM}, comparisons and ordering numeric
     *       (decimal text would compare as text) at the cost of double precision beyond ~15 digits;</li>
     *   <li>FLOAT → {@code REAL};</li>
     *   <li>everything else → {@code TEXT}: dates {@code YYYY-MM-DD}, times and timestamps in the ISO forms
     *       SQLite's date functions read, VARIANT/OBJECT/ARRAY as JSON text for {@code json_extract},
     *       VARCHAR as is, BINARY as upper-case hex (Snowflake's default output format).</li>
     * </ul>
     */
    public static String sqliteType(ColumnType type) {
        return switch (type.kind()) {
            case NUMBER -> type.scale() == 0 ? "INTEGER" : "NUMERIC";
            case BOOLEAN -> "INTEGER";
            case FLOAT -> "REAL";
            default -> "TEXT";
        };
    }

    /** Double-quotes an identifier for SQLite, doubling embedded quotes. */
    public static String sqliteQuote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
