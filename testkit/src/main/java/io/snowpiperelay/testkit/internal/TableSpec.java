package io.snowpiperelay.testkit.internal;

import java.util.List;
import java.util.function.Function;

/**
 * A Snowflake table as the store needs it.
 *
 * @param database    canonical database name
 * @param schema      canonical schema name
 * @param name        canonical table name
 * @param columnNames column names in order
 * @param createSql   given the SQLite table name, the {@code CREATE TABLE} statement for it
 */
public record TableSpec(String database, String schema, String name, List<String> columnNames,
                        Function<String, String> createSql) {

    /** "DB.SCHEMA.TABLE". */
    public String qualifiedName() {
        return database + "." + schema + "." + name;
    }

    /** Same table identity (ignores columns). */
    public boolean sameIdentity(TableSpec other) {
        return database.equals(other.database) && schema.equals(other.schema) && name.equals(other.name);
    }
}
