package io.snowpiperelay.sqlite.internal;

/**
 * The SQL of the outbox, in one place so that the schema documented in {@code docs/sqlite-outbox.md} can be
 * checked against it. {@code "offset"} is always quoted: OFFSET is an SQL keyword.
 */
public final class OutboxSql {

    /** The table holding dead letters of every stream. */
    public static final String DEAD_LETTER_TABLE = "dead_letter";

    private OutboxSql() {
    }

    /**
     * A stream's table. AUTOINCREMENT (not a plain rowid) so that an offset is never handed out twice, even
     * after the highest rows are deleted; the high-water mark lives in {@code sqlite_sequence}.
     * {@value #PAYLOAD_CHECKED} is 1 when the producer's append found the payload to be what the relay sends to
     * Snowflake as it is ({@code JsonPayloads.isPlainObject}), so the relay does not scan it again.
     * {@value #ROW_COUNT} is the number of records the row holds (see {@link PackedRows}): a packed row's
     * {@code "offset"} is the offset of its last record, and its payload holds one record per line.
     */
    public static String createStreamTable(String stream) {
        return "CREATE TABLE IF NOT EXISTS " + StreamNames.quotedTable(stream) + " ("
                + "\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "payload TEXT NOT NULL, "
                + "created_at_ms INTEGER NOT NULL, "
                + PAYLOAD_CHECKED + " INTEGER NOT NULL DEFAULT 0, "
                + ROW_COUNT + " INTEGER NOT NULL DEFAULT 1)";
    }

    /** The column saying the payload was checked at append (see {@link #createStreamTable}). */
    public static final String PAYLOAD_CHECKED = "payload_checked";

    /** The column counting the records of a (packed) row (see {@link #createStreamTable}). */
    public static final String ROW_COUNT = "row_count";

    /** The columns of a stream's table, one row each; column 2 (1-based) is the name. */
    public static String tableInfo(String stream) {
        return "PRAGMA table_info(" + StreamNames.quotedTable(stream) + ")";
    }

    /**
     * Adds {@link #PAYLOAD_CHECKED} to a table made before it existed: its rows read as not checked, so the
     * relay checks them as before. Constant time (SQLite only rewrites the table's definition).
     */
    public static String addPayloadChecked(String stream) {
        return "ALTER TABLE " + StreamNames.quotedTable(stream) + " ADD COLUMN " + PAYLOAD_CHECKED
                + " INTEGER NOT NULL DEFAULT 0";
    }

    /** Adds {@link #ROW_COUNT} to a table made before packing existed: each of its rows holds one record. */
    public static String addRowCount(String stream) {
        return "ALTER TABLE " + StreamNames.quotedTable(stream) + " ADD COLUMN " + ROW_COUNT
                + " INTEGER NOT NULL DEFAULT 1";
    }

    /**
     * Dead letters, one row per (stream, offset): the relay may hand the same record over again after a
     * crash, and an upsert keeps that idempotent.
     */
    public static final String CREATE_DEAD_LETTER_TABLE = "CREATE TABLE IF NOT EXISTS " + DEAD_LETTER_TABLE + " ("
            + "stream TEXT NOT NULL COLLATE NOCASE, "
            + "\"offset\" INTEGER NOT NULL, "
            + "channel TEXT NOT NULL, "
            + "payload TEXT, "
            + "reason TEXT NOT NULL, "
            + "recorded_at TEXT NOT NULL, "
            + "PRIMARY KEY (stream, \"offset\"))";

    public static final String UPSERT_DEAD_LETTER = "INSERT INTO " + DEAD_LETTER_TABLE
            + " (stream, \"offset\", channel, payload, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (stream, \"offset\") DO UPDATE SET channel = excluded.channel,"
            + " payload = excluded.payload, reason = excluded.reason, recorded_at = excluded.recorded_at";

    public static final String SELECT_DEAD_LETTERS = "SELECT channel, \"offset\", payload, reason, recorded_at FROM "
            + DEAD_LETTER_TABLE + " WHERE stream = ? ORDER BY \"offset\"";

    public static final String COUNT_DEAD_LETTERS = "SELECT count(*) FROM " + DEAD_LETTER_TABLE + " WHERE stream = ?";

    /** Finds a stream table whatever the case of its name; parameter: the lower-case table name. */
    public static final String FIND_STREAM_TABLE =
            "SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = ?";

    public static final String LIST_STREAM_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"
            + " AND name LIKE '" + StreamNames.TABLE_PREFIX.replace("_", "\\_") + "%' ESCAPE '\\' ORDER BY name";

    /** The highest offset ever issued; parameter: the table name. No row means none issued yet. */
    public static final String SELECT_SEQUENCE = "SELECT seq FROM sqlite_sequence WHERE name = ?";

    public static String insert(String stream) {
        return "INSERT INTO " + StreamNames.quotedTable(stream) + " (payload, created_at_ms, " + PAYLOAD_CHECKED
                + ") VALUES (?, ?, ?)";
    }

    public static String insertReturningOffset(String stream) {
        return insert(stream) + " RETURNING \"offset\"";
    }

    /**
     * Inserts a row at an offset the writer chose inside its write transaction (above {@link #highWaterMark}).
     * An explicit rowid above the sequence moves {@code sqlite_sequence} up too, so AUTOINCREMENT still never
     * hands out an offset twice.
     */
    public static String insertAt(String stream) {
        return "INSERT INTO " + StreamNames.quotedTable(stream) + " (\"offset\", payload, created_at_ms, "
                + PAYLOAD_CHECKED + ", " + ROW_COUNT + ") VALUES (?, ?, ?, ?, ?)";
    }

    /**
     * The offset below every offset the next insert can get: the larger of the sequence and the largest
     * row (they differ only if someone edited {@code sqlite_sequence} by hand).
     */
    public static String highWaterMark(String stream) {
        return "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '" + StreamNames.table(stream)
                + "'), 0), coalesce((SELECT max(\"offset\") FROM " + StreamNames.quotedTable(stream) + "), 0))";
    }

    /**
     * The rows holding records above {@code ?1}, in order. A packed row's key is its last record's offset, so a row
     * whose first records are at or below {@code ?1} is selected too; the reader skips those records. Each row
     * holds at least one record, so {@code LIMIT ?2} rows are enough for {@code ?2} records.
     */
    public static String selectBatch(String stream) {
        return "SELECT \"offset\", payload, " + PAYLOAD_CHECKED + ", " + ROW_COUNT + " FROM "
                + StreamNames.quotedTable(stream) + " WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?";
    }

    /**
     * Deletes every row with offset &lt;= {@code ?1}: a packed row only once its last record is at or below it. A plain range on the rowid, cheaper per row than deleting
     * the rows an {@code IN (SELECT ... LIMIT n)} sub-query lists, which looks each one up again. The caller bounds the transaction by choosing {@code ?1} (see {@link #selectLowest}).
     */
    public static String deleteUpTo(String stream) {
        return "DELETE FROM " + StreamNames.quotedTable(stream) + " WHERE \"offset\" <= ?";
    }

    /** The first row above {@code ?1}: the packed row that may also hold records at or below it. */
    public static String selectFirstRowAbove(String stream) {
        return "SELECT \"offset\", payload, " + ROW_COUNT + " FROM " + StreamNames.quotedTable(stream)
                + " WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT 1";
    }

    /**
     * Keeps only a packed row's last records: {@code ?1} the remaining lines, {@code ?2} their count, where the
     * row is {@code ?3} and still holds {@code ?4} records (so a row changed meanwhile is left alone).
     */
    public static String trimPackedRow(String stream) {
        return "UPDATE " + StreamNames.quotedTable(stream) + " SET payload = ?, " + ROW_COUNT + " = ? WHERE \"offset\" = ?"
                + " AND " + ROW_COUNT + " = ?";
    }

    /** The lowest offset still in the stream's table, or NULL when it is empty (a rowid lookup, not a scan). */
    public static String selectLowest(String stream) {
        return "SELECT min(\"offset\") FROM " + StreamNames.quotedTable(stream);
    }

    /** The records in the stream's table (a packed row counts as its records). */
    public static String countRows(String stream) {
        return "SELECT coalesce(sum(" + ROW_COUNT + "), 0) FROM " + StreamNames.quotedTable(stream);
    }
}
