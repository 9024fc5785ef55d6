package io.snowpiperelay.postgres.internal;

import io.snowpiperelay.postgres.PostgresOutboxConfig;

/**
 * The outbox's three tables and the SQL that uses them. Identifiers matched
 * {@link PostgresOutboxConfig#IDENTIFIER}, so splicing them (quoted) into SQL is safe.
 *
 * <ul>
 *   <li>{@code <prefix>}: one row per appended event. {@code id} is its insert order; {@code relay_offset} is NULL
 *       until the relay's sequencer stamps it, then the dense, strictly increasing offset the relay sends.</li>
 *   <li>{@code <prefix>_stream}: one row per (stream, partition) with the highest offset ever stamped.</li>
 *   <li>{@code <prefix>_dead_letter}: rows the relay could not send, with the reason.</li>
 * </ul>
 * Every key carries a {@code partition} column: a stream is split into a fixed number of partitions
 * ({@link PostgresOutboxConfig#partitions(String)}), each with its own offsets and channel.
 */
public final class OutboxTables {

    /** The schema version this code creates and understands; kept in the outbox table's comment. */
    public static final int SCHEMA_VERSION = 1;
    /** The outbox table's comment; the version is read back from it. */
    public static final String COMMENT_PREFIX = "snowpipe-relay outbox, schema version ";
    /** The partition of a stream that is not split ({@link PostgresOutboxConfig#DEFAULT_PARTITIONS} = 1). */
    public static final int DEFAULT_PARTITION = 0;

    private final String schema;
    private final String prefix;
    /** Schema-qualified, unquoted names (as shown to people and given to to_regclass / has_table_privilege). */
    public final String outbox;
    public final String streams;
    public final String deadLetters;
    /** Schema-qualified, quoted names, for SQL text. */
    private final String outboxSql;
    private final String streamsSql;
    private final String deadLettersSql;

    public OutboxTables(PostgresOutboxConfig config) {
        this.schema = config.schema();
        this.prefix = config.tablePrefix();
        this.outbox = schema + "." + prefix;
        this.streams = outbox + "_stream";
        this.deadLetters = outbox + "_dead_letter";
        this.outboxSql = quoted(prefix);
        this.streamsSql = quoted(prefix + "_stream");
        this.deadLettersSql = quoted(prefix + "_dead_letter");
    }

    private String quoted(String table) {
        return '"' + schema + "\".\"" + table + '"';
    }

    /** The schema's name. */
    public String schema() {
        return schema;
    }

    /** The DDL that creates every missing table and index (idempotent), in order. */
    public String[] createStatements() {
        return new String[] {
            "CREATE TABLE IF NOT EXISTS " + outboxSql + " ("
                    + " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " stream text NOT NULL,"
                    + " partition integer NOT NULL DEFAULT " + DEFAULT_PARTITION + ","
                    + " relay_offset bigint,"
                    + " created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " payload text NOT NULL)",
            // What the sequencer scans: the rows not yet stamped, in insert order.
            "CREATE INDEX IF NOT EXISTS \"" + prefix + "_unstamped\" ON " + outboxSql
                    + " (stream, partition, id) WHERE relay_offset IS NULL",
            // What the relay reads and deletes by; unique, so an offset can never be stamped twice.
            "CREATE UNIQUE INDEX IF NOT EXISTS \"" + prefix + "_relay_offset\" ON " + outboxSql
                    + " (stream, partition, relay_offset) WHERE relay_offset IS NOT NULL",
            "CREATE TABLE IF NOT EXISTS " + streamsSql + " ("
                    + " stream text NOT NULL,"
                    + " partition integer NOT NULL DEFAULT " + DEFAULT_PARTITION + ","
                    + " last_offset bigint NOT NULL DEFAULT 0,"
                    + " created_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " PRIMARY KEY (stream, partition))",
            "CREATE TABLE IF NOT EXISTS " + deadLettersSql + " ("
                    + " stream text NOT NULL,"
                    + " partition integer NOT NULL DEFAULT " + DEFAULT_PARTITION + ","
                    + " relay_offset bigint NOT NULL,"
                    + " channel text NOT NULL,"
                    + " payload text,"
                    + " reason text NOT NULL,"
                    + " recorded_at timestamptz NOT NULL,"
                    + " PRIMARY KEY (stream, partition, relay_offset))",
            "COMMENT ON TABLE " + outboxSql + " IS '" + COMMENT_PREFIX + SCHEMA_VERSION + "'",
        };
    }

    /** The outbox table's comment ({@code NULL} if it has none or does not exist); parameter: {@link #outbox}. */
    public static final String SELECT_COMMENT = "SELECT obj_description(to_regclass(?), 'pg_class')";

    /** Whether a table exists; parameter: its schema-qualified name. */
    public static final String TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";

    // ------------------------------------------------------------------------------------------ producers

    public String insert() {
        return "INSERT INTO " + outboxSql + " (stream, partition, payload) VALUES (?, ?, ?)";
    }

    /**
     * Inserts a list of payloads in one statement, in list order (so identity values follow it), row {@code n} in
     * partition {@code (first + n - 1) % count}; parameters: stream, the first row's round-robin partition, the
     * partition count, a {@code text[]} of payloads. One round trip instead of one per row.
     */
    public String insertAll() {
        return "INSERT INTO " + outboxSql + " (stream, partition, payload) SELECT ?, ((? + n - 1) % ?)::int, p"
                + " FROM unnest(?::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n";
    }

    // ------------------------------------------------------------------------------------------- sequencer

    /** Creates the stream's counter row if missing; parameters: stream, partition. */
    public String registerStream() {
        return "INSERT INTO " + streamsSql + " (stream, partition) VALUES (?, ?) ON CONFLICT DO NOTHING";
    }

    /** One row if a committed row waits to be stamped, none otherwise; parameters: stream, partition. */
    public String anyUnstamped() {
        return "SELECT 1 FROM " + outboxSql + " WHERE stream = ? AND partition = ? AND relay_offset IS NULL LIMIT 1";
    }

    /** Locks the stream's counter row and reads the highest stamped offset; parameters: stream, partition. */
    public String lockCounter() {
        return "SELECT last_offset FROM " + streamsSql + " WHERE stream = ? AND partition = ? FOR UPDATE";
    }

    /**
     * Stamps up to {@code ?4} committed, unstamped rows, in insert order, with offsets {@code ?1 + 1, ?1 + 2, ...},
     * and returns them. Parameters: the last offset, stream, partition, the row limit.
     */
    public String stamp() {
        return "UPDATE " + outboxSql + " AS o SET relay_offset = ? + b.n"
                + " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM ("
                + "SELECT id FROM " + outboxSql + " WHERE stream = ? AND partition = ? AND relay_offset IS NULL"
                + " ORDER BY id LIMIT ?) AS pending) AS b"
                + " WHERE o.id = b.id RETURNING o.relay_offset, o.payload";
    }

    /** Stores the new highest stamped offset; parameters: the offset, stream, partition. */
    public String advanceCounter() {
        return "UPDATE " + streamsSql + " SET last_offset = ? WHERE stream = ? AND partition = ?";
    }

    /** The highest offset ever stamped (NULL row-less if the stream is unknown); parameters: stream, partition. */
    public String selectLastOffset() {
        return "SELECT last_offset FROM " + streamsSql + " WHERE stream = ? AND partition = ?";
    }

    // ------------------------------------------------------------------------------------------------ relay

    /** Stamped rows after an offset, in order; parameters: stream, partition, after, limit. */
    public String selectStamped() {
        return "SELECT relay_offset, payload FROM " + outboxSql
                + " WHERE stream = ? AND partition = ? AND relay_offset > ? ORDER BY relay_offset LIMIT ?";
    }

    /** The lowest stamped offset still present (NULL when none); parameters: stream, partition. */
    public String selectLowestStamped() {
        return "SELECT min(relay_offset) FROM " + outboxSql
                + " WHERE stream = ? AND partition = ? AND relay_offset IS NOT NULL";
    }

    /** Deletes the stamped rows in an offset range; parameters: stream, partition, lower (inclusive), upper (inclusive). */
    public String deleteRange() {
        return "DELETE FROM " + outboxSql + " WHERE stream = ? AND partition = ?"
                + " AND relay_offset >= ? AND relay_offset <= ?";
    }

    /** Stores a dead letter (replacing an earlier one for the same offset); parameters in column order. */
    public String upsertDeadLetter() {
        return "INSERT INTO " + deadLettersSql
                + " (stream, partition, relay_offset, channel, payload, reason, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stream, partition, relay_offset) DO UPDATE SET"
                + " channel = excluded.channel, payload = excluded.payload, reason = excluded.reason,"
                + " recorded_at = excluded.recorded_at";
    }

    // ------------------------------------------------------------------------------------------- inspection

    public String countRows() {
        return "SELECT count(*) FROM " + outboxSql + " WHERE stream = ?";
    }

    /**
     * The highest partition holding a row of a stream (bind the stream twice), or -1: one backward step on each
     * partial index, whatever the backlog.
     */
    public String highestPartitionWithRows() {
        return "SELECT coalesce(greatest("
                + "(SELECT max(partition) FROM " + outboxSql + " WHERE stream = ? AND relay_offset IS NULL),"
                + " (SELECT max(partition) FROM " + outboxSql + " WHERE stream = ? AND relay_offset IS NOT NULL)), -1)";
    }

    public String countUnstamped() {
        return "SELECT count(*) FROM " + outboxSql + " WHERE stream = ? AND relay_offset IS NULL";
    }

    public String listStreams() {
        return "SELECT stream FROM " + streamsSql + " UNION SELECT DISTINCT stream FROM " + outboxSql
                + " ORDER BY 1";
    }

    public String selectDeadLetters() {
        return "SELECT channel, relay_offset, payload, reason, recorded_at FROM " + deadLettersSql
                + " WHERE stream = ? ORDER BY partition, relay_offset";
    }

    public String countDeadLetters() {
        return "SELECT count(*) FROM " + deadLettersSql + " WHERE stream = ?";
    }

    public String selectHighestIssued() {
        return "SELECT max(last_offset) FROM " + streamsSql + " WHERE stream = ?";
    }
}
