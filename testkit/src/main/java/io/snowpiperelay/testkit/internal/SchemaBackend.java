package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.types.Column;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The emulator's view of the SQL catalog: executes SQL, resolves pipes to their target table and row converter,
 * and knows the users' public keys. Implementations are thread-safe.
 */
public interface SchemaBackend {

    /** Parses and applies a SQL script. Table creations/drops are reported to the listener. */
    void execute(String sqlScript);

    /** Resolves a pipe as named in a request path (Snowflake identifier rules), or empty if it does not exist. */
    Optional<PipeTarget> resolvePipe(String database, String schema, String pipe);

    /** Every table currently defined. */
    List<TableSpec> tables();

    /** The columns of a table named by Snowflake identifier rules, or empty if it does not exist. */
    Optional<List<Column>> columns(String database, String schema, String table);

    /** USER (upper case) to registered public keys (PEM or bare base64). */
    Map<String, List<String>> userPublicKeys();

    /** Sets the listener told about table creations and drops (one listener). */
    void setListener(Listener listener);

    /** Told about table changes, synchronously inside {@link #execute}. */
    interface Listener {
        void tableCreated(TableSpec table);

        void tableDropped(TableSpec table);

        /** CREATE OR REPLACE of an existing table. */
        default void tableReplaced(TableSpec previous, TableSpec created) {
            tableDropped(previous);
            tableCreated(created);
        }
    }
}
