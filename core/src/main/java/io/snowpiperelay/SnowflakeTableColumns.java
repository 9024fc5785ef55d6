package io.snowpiperelay;

import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.RowChecker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Reads a table's columns from Snowflake once, with {@code DESCRIBE TABLE}, for the relay's pre-send row check
 * ({@link RowChecker}, {@link ExactlyOnceChannelRunner.Builder#rowChecker}).
 *
 * <p>It needs the Snowflake JDBC driver ({@code net.snowflake:snowflake-jdbc}), an optional dependency: add it to
 * your application to use this class; nothing else in the relay needs it. The role must be allowed to describe
 * the table (any privilege on it).
 *
 * <pre>{@code
 * List<Column> columns;
 * try (Connection c = DriverManager.getConnection("jdbc:snowflake://myorg-myaccount.snowflakecomputing.com", props)) {
 *     columns = SnowflakeTableColumns.read(c, "SKI", "PUBLIC", "LIFT_RIDE");
 * }
 * builder.rowChecker(RowChecker.of("LIFT_RIDE", columns));
 * }</pre>
 *
 * <p>A NOT NULL column with a default (or an identity) is read as nullable: the default pipe fills a missing key
 * from it, so a row without it must not be refused before sending. Columns of a type the check does not model (GEOGRAPHY, GEOMETRY, VECTOR) are checked as VARIANT: any value
 * passes, only NOT NULL is enforced, and the service judges the rest. Virtual columns are left out (rows cannot
 * fill them). Stateless; thread-safe.
 */
public final class SnowflakeTableColumns {
    private SnowflakeTableColumns() {
    }

    /**
     * The columns of {@code database.schema.table}, in order, read over {@code connection} (not closed here).
     * Names are Snowflake identifiers as you would write them in SQL: unquoted ones are upper-cased by Snowflake,
     * quote a name ({@code "\"lower\""}) to keep its case.
     *
     * @throws SQLException when the statement fails (no such table, no privilege) or a type cannot be read
     */
    public static List<Column> read(Connection connection, String database, String schema, String table)
            throws SQLException {
        Objects.requireNonNull(connection, "connection");
        String name = identifier(database) + "." + identifier(schema) + "." + identifier(table);
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("DESCRIBE TABLE " + name)) {
            return columns(rows, name);
        }
    }

    /**
     * Opens a connection with the Snowflake JDBC driver ({@code jdbcUrl} such as
     * {@code jdbc:snowflake://myorg-myaccount.snowflakecomputing.com}, {@code properties} with user, role and
     * credentials as the driver documents them), reads the columns, and closes it.
     *
     * @throws SQLException when the driver is missing, the connection fails, or {@link #read(Connection, String,
     *                      String, String)} does
     */
    public static List<Column> read(String jdbcUrl, Properties properties, String database, String schema,
                                    String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
            return read(connection, database, schema, table);
        }
    }

    /**
     * Maps {@code DESCRIBE TABLE} output (columns {@code name}, {@code type}, {@code kind}, {@code null?},
     * {@code default}).
     */
    static List<Column> columns(ResultSet rows, String tableName) throws SQLException {
        List<Column> columns = new ArrayList<>();
        while (rows.next()) {
            String kind = rows.getString("kind");
            if (kind != null && !kind.equalsIgnoreCase("COLUMN")) {
                continue;
            }
            String name = rows.getString("name");
            String type = rows.getString("type");
            boolean nullable = !"N".equalsIgnoreCase(rows.getString("null?")) || rows.getString("default") != null;
            columns.add(new Column(name, columnType(tableName, name, type), nullable));
        }
        if (columns.isEmpty()) {
            throw new SQLException("DESCRIBE TABLE " + tableName + " returned no columns");
        }
        return List.copyOf(columns);
    }

    private static ColumnType columnType(String tableName, String column, String type) throws SQLException {
        String family = type.contains("(") ? type.substring(0, type.indexOf('(')) : type;
        if (family.trim().equalsIgnoreCase("GEOGRAPHY") || family.trim().equalsIgnoreCase("GEOMETRY")
                || family.trim().equalsIgnoreCase("VECTOR")) {
            return ColumnType.of(ColumnType.Kind.VARIANT);
        }
        try {
            return ColumnType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new SQLException(tableName + "." + column + ": cannot read type '" + type + "': " + e.getMessage(), e);
        }
    }

    /** Quotes a name that is not already quoted only when it needs it; unquoted names keep Snowflake's rules. */
    private static String identifier(String name) {
        Objects.requireNonNull(name, "name");
        if (name.startsWith("\"") || name.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
