package io.snowpiperelay.examples.outbox;

import io.snowpiperelay.postgres.PostgresOutboxConfig;
import picocli.CommandLine.Option;

/**
 * Picocli mixin: which outbox tables of a PostgreSQL {@code --outbox} a command uses, the same for every command
 * (generate, relay, report, dashboard), so that one outbox can hold several applications' tables side by side.
 */
public final class OutboxTableOptions {

    @Option(names = "--table-prefix", paramLabel = "NAME", defaultValue = PostgresOutboxConfig.DEFAULT_TABLE_PREFIX,
            description = "With a PostgreSQL --outbox: the name prefix of its tables (<NAME>, <NAME>_stream,"
                    + " <NAME>_dead_letter, and with --fleet <NAME>_lease, <NAME>_member); default: ${DEFAULT-VALUE}.")
    String tablePrefix = PostgresOutboxConfig.DEFAULT_TABLE_PREFIX;

    /** The default tables ({@value PostgresOutboxConfig#DEFAULT_TABLE_PREFIX}). */
    public static OutboxTableOptions defaults() {
        return new OutboxTableOptions();
    }

    /** The table prefix. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** Whether these are the default tables (the only ones an SQLite outbox has). */
    public boolean isDefault() {
        return PostgresOutboxConfig.DEFAULT_TABLE_PREFIX.equals(tablePrefix);
    }

    @Override
    public String toString() {
        return "OutboxTableOptions[" + tablePrefix + "]";
    }
}
