package io.snowpiperelay.testkit.internal;

/**
 * A resolved pipe.
 *
 * @param database  canonical database name
 * @param schema    canonical schema name
 * @param pipe      canonical pipe name
 * @param tableName canonical name of the target table
 * @param table     the target table, or null if it does not exist (dropped)
 * @param converter converts one NDJSON line into a row of {@code table}; null if the table is missing
 */
public record PipeTarget(String database, String schema, String pipe, String tableName, TableSpec table,
                         RowConverter converter) {

    /** "DB.SCHEMA.PIPE". */
    public String qualifiedName() {
        return database + "." + schema + "." + pipe;
    }
}
