package io.snowpiperelay.examples.cli;

import picocli.CommandLine.Option;

/**
 * Picocli mixin: {@code --database} and {@code --schema} of the pipes a relay writes to ({@code relay},
 * {@code demo}).
 */
public final class PipeOptions {

    @Option(names = "--database", paramLabel = "NAME", defaultValue = SetupSql.DATABASE,
            description = "Database of the pipes (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = SetupSql.SCHEMA,
            description = "Schema of the pipes (default: ${DEFAULT-VALUE}).")
    String schema;
}
