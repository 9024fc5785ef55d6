package io.snowpiperelay.testkit.internal;

import java.util.List;

/**
 * A pipe resolved for the hot path: its target, the SQLite table its rows go to and the registry key prefix.
 *
 * @param target      the resolved pipe
 * @param sqliteTable SQLite table name, or null if the target table does not exist
 * @param columnNames columns of the target table, or null
 */
record PipeBinding(PipeTarget target, String sqliteTable, List<String> columnNames) {

    String channelKey(String channel) {
        return target.database() + '\u0000' + target.schema() + '\u0000' + target.pipe() + '\u0000' + channel;
    }

    boolean tableExists() {
        return sqliteTable != null;
    }
}
