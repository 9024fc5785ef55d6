package io.snowpiperelay;

import java.util.Objects;

/**
 * The Snowflake pipe a runner writes through: database, schema and pipe name, used exactly as written (the SDK
 * does not upper-case them).
 *
 * @param database the database name
 * @param schema   the schema name
 * @param pipe     the pipe name; a table's default streaming pipe is {@code <TABLE>-STREAMING}
 */
public record PipeName(String database, String schema, String pipe) {

    public PipeName {
        requireName("database", database);
        requireName("schema", schema);
        requireName("pipe", pipe);
    }

    /** The named pipe. */
    public static PipeName of(String database, String schema, String pipe) {
        return new PipeName(database, schema, pipe);
    }

    /**
     * The default streaming pipe of {@code table} ({@code <TABLE>-STREAMING}), which exists for every table
     * without any DDL and maps row keys to columns by name.
     */
    public static PipeName defaultPipeOf(String database, String schema, String table) {
        requireName("table", table);
        return new PipeName(database, schema, table + "-STREAMING");
    }

    private static void requireName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " = '" + value + "' must not be blank");
        }
    }

    /** {@code database.schema.pipe}. */
    @Override
    public String toString() {
        return database + "." + schema + "." + pipe;
    }
}
