package io.snowpiperelay.types;

import java.util.Objects;

/**
 * One column of a {@code TableDef} (the emulator's table definition).
 *
 * @param name     the column name as Snowflake stores it: an unquoted name upper-cased, a quoted one exact
 * @param type     the column's Snowflake type
 * @param nullable false when the column was declared {@code NOT NULL} or is part of the primary key
 *                 (Snowflake enforces NOT NULL, and only NOT NULL, of all constraints)
 */
public record Column(String name, ColumnType type, boolean nullable) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
