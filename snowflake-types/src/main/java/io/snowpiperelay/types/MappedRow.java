package io.snowpiperelay.types;

import java.util.Objects;

/** The outcome of mapping one NDJSON row onto a table: the row's values, or why Snowflake would reject it. */
public sealed interface MappedRow {

    /**
     * An accepted row.
     *
     * @param values one value per table column, in {@code table.columns()} order, ready for
     *               {@code PreparedStatement.setObject}: {@code String}, {@code Long}, {@code Double},
     *               {@code BigDecimal}, {@code Integer} (BOOLEAN as 0/1) or {@code null} (SQL NULL). The
     *               array belongs to the caller.
     */
    record Ok(Object[] values) implements MappedRow {
        public Ok {
            Objects.requireNonNull(values, "values");
        }
    }

    /**
     * A rejected row (Snowflake counts it in {@code rows_error_count} and stores nothing).
     *
     * @param column  the column whose value failed, or null when the row itself is bad (invalid JSON, not an object)
     * @param rule    which rule the row broke
     * @param message Snowflake-like text naming the column, with the value redacted (HP-ERR: the status
     *                message is "human readable … with sensitive customer data redacted")
     */
    record Error(String column, RejectionRule rule, String message) implements MappedRow {
        public Error {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }
    }
}
