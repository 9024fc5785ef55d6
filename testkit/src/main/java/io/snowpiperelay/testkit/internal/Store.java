package io.snowpiperelay.testkit.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SQLite store: one SQLite table per Snowflake table (same column names) plus the emulator's own tables
 * ({@code _emulator_sql}, {@code _emulator_tables}, {@code _emulator_channels}).
 *
 * <p>Table naming: a Snowflake table gets its plain name in SQLite if no other table (of another database or
 * schema) has taken it, otherwise {@code DB__SCHEMA__TABLE}. The mapping is stored in {@code _emulator_tables}.
 *
 * <p>One JDBC connection, guarded by {@code this} (every public method is synchronized). It is opened in SQLite's
 * multi-thread mode ({@code NOMUTEX}), which relies on that: neither the connection nor a statement of it may
 * be used outside this object's lock.
 */
public final class Store implements AutoCloseable {

    private static final AtomicLong MEMORY_IDS = new AtomicLong();

    private final Path file;
    private final Connection connection;
    /** Prepared insert statements by SQLite table name + rows per statement; guarded by {@code this}. */
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    /** key(DB, SCHEMA, TABLE) to SQLite table name; guarded by {@code this}. */
    private final Map<String, String> tableNames = new HashMap<>();
    private boolean closed;

    private Store(Path file) throws SQLException {
        this.file = file;
        String url = file == null
                ? "jdbc:sqlite:file:snowpipe-emulator-" + MEMORY_IDS.incrementAndGet() + "?mode=memory"
                : "jdbc:sqlite:" + file.toAbsolutePath();
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        // SQLite's multi-thread mode: no mutex around every call on the connection (the committer makes one per
        // bound value). Safe because this connection and its statements are only used under this object's lock
        // (see the class comment), and the per-call mutex is a visible share of the committer's CPU.
        config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
        java.util.Properties properties = config.toProperties();
        // sqlite-jdbc otherwise runs "SELECT last_insert_rowid()" (a fresh prepare) after every INSERT for
        // getGeneratedKeys(), which nothing here reads, at the cost of a statement per INSERT.
        properties.setProperty(org.sqlite.SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
        this.connection = DriverManager.getConnection(url, properties);
        try (Statement st = connection.createStatement()) {
            if (file != null) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
            }
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("CREATE TABLE IF NOT EXISTS _emulator_sql (id INTEGER PRIMARY KEY AUTOINCREMENT, script TEXT NOT NULL,"
                    + " executed_at_ms INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS _emulator_keys (user TEXT PRIMARY KEY, private_key_pem TEXT NOT NULL,"
                    + " public_key_pem TEXT NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS _emulator_tables (database TEXT NOT NULL, schema TEXT NOT NULL,"
                    + " name TEXT NOT NULL, sqlite_name TEXT NOT NULL UNIQUE, PRIMARY KEY (database, schema, name))");
            st.execute("CREATE TABLE IF NOT EXISTS _emulator_channels (database TEXT NOT NULL, schema TEXT NOT NULL,"
                    + " pipe TEXT NOT NULL, channel TEXT NOT NULL, client_sequencer INTEGER NOT NULL,"
                    + " committed_offset_token TEXT, rows_inserted INTEGER NOT NULL, rows_parsed INTEGER NOT NULL,"
                    + " rows_error_count INTEGER NOT NULL, last_error_offset_upper_bound TEXT, last_error_message TEXT,"
                    + " last_error_timestamp_ms INTEGER, created_on_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (database, schema, pipe, channel))");
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT database, schema, name, sqlite_name FROM _emulator_tables")) {
            while (rs.next()) {
                tableNames.put(key(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4));
            }
        }
        connection.setAutoCommit(false);
        connection.commit();
    }

    /** Opens a file store (created if missing), or an in-memory store when {@code file} is null. */
    public static Store open(Path file) {
        try {
            return new Store(file);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the emulator store " + (file == null ? "(in memory)" : file)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The store file, or null in memory. */
    public Path file() {
        return file;
    }

    /** The SQL scripts executed so far, in order. */
    public synchronized List<String> scripts() {
        List<String> result = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT script FROM _emulator_sql ORDER BY id")) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        } catch (SQLException e) {
            throw failure("read _emulator_sql", e);
        }
    }

    /**
     * The key pair the emulator generated for {@code user} in an earlier run on this store, or the one
     * {@code generator} makes now (then stored), so that a restart keeps the client's private key valid.
     *
     * @return {private PEM, public PEM}
     */
    public synchronized String[] keyPair(String user, java.util.function.Supplier<String[]> generator) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT private_key_pem, public_key_pem FROM _emulator_keys WHERE user = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new String[] {rs.getString(1), rs.getString(2)};
                }
            }
            String[] fresh = generator.get();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO _emulator_keys (user, private_key_pem, public_key_pem) VALUES (?, ?, ?)")) {
                insert.setString(1, user);
                insert.setString(2, fresh[0]);
                insert.setString(3, fresh[1]);
                insert.executeUpdate();
            }
            connection.commit();
            return fresh;
        } catch (SQLException e) {
            throw rollback("read/write _emulator_keys", e);
        }
    }

    /** Remembers a script so it is replayed when the store is opened again. */
    public synchronized void addScript(String script) {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO _emulator_sql (script, executed_at_ms) VALUES (?, ?)")) {
            ps.setString(1, script);
            ps.setLong(2, System.currentTimeMillis());
            ps.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("write _emulator_sql", e);
        }
    }

    /** The SQLite table name of a Snowflake table, or null if it has no SQLite table. */
    public synchronized String sqliteName(TableSpec table) {
        return tableNames.get(key(table));
    }

    /**
     * Creates the SQLite table of a Snowflake table. With {@code replace}, an existing one is dropped first
     * (CREATE OR REPLACE); otherwise an existing one is kept with its rows (replay at restart, IF NOT EXISTS).
     *
     * @return the SQLite table name
     */
    public synchronized String createTable(TableSpec table, boolean replace) {
        try {
            String name = tableNames.get(key(table));
            if (name != null && !replace) {
                return name;
            }
            if (name == null) {
                name = table.name();
                if (tableNames.containsValue(name) || name.startsWith("_emulator_")) {
                    name = table.database() + "__" + table.schema() + "__" + table.name();
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO _emulator_tables (database, schema, name, sqlite_name) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, table.database());
                    ps.setString(2, table.schema());
                    ps.setString(3, table.name());
                    ps.setString(4, name);
                    ps.executeUpdate();
                }
            }
            closeInsert(name);
            try (Statement st = connection.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + quote(name));
                st.execute(table.createSql().apply(name));
            }
            connection.commit();
            tableNames.put(key(table), name);
            return name;
        } catch (SQLException e) {
            throw rollback("create table for " + table.qualifiedName(), e);
        }
    }

    /** Drops the SQLite table of a Snowflake table (and its rows). */
    public synchronized void dropTable(TableSpec table) {
        String name = tableNames.remove(key(table));
        if (name == null) {
            return;
        }
        try {
            closeInsert(name);
            try (Statement st = connection.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + quote(name));
            }
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM _emulator_tables WHERE sqlite_name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            throw rollback("drop table " + name, e);
        }
    }

    /**
     * Drops the SQLite tables of Snowflake tables that no longer exist (after a replay of the stored SQL, where
     * drops are not applied so that a table dropped and re-created keeps its rows).
     */
    public synchronized void retainTables(List<TableSpec> existing) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (TableSpec t : existing) {
            keep.add(key(t));
        }
        for (String qualified : new ArrayList<>(tableNames.keySet())) {
            if (!keep.contains(qualified)) {
                String[] parts = qualified.split("\u0000", 3);
                if (parts.length == 3) {
                    dropTable(new TableSpec(parts[0], parts[1], parts[2], List.of(), n -> ""));
                }
            }
        }
    }

    /** Every stored channel. */
    public synchronized List<ChannelRecord> channels() {
        List<ChannelRecord> result = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT database, schema, pipe, channel, client_sequencer, committed_offset_token,"
                     + " rows_inserted, rows_parsed, rows_error_count, last_error_offset_upper_bound, last_error_message,"
                     + " last_error_timestamp_ms, created_on_ms FROM _emulator_channels")) {
            while (rs.next()) {
                long ts = rs.getLong(12);
                Long lastErrorTs = rs.wasNull() ? null : ts;
                result.add(new ChannelRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10),
                        rs.getString(11), lastErrorTs, rs.getLong(13)));
            }
            return result;
        } catch (SQLException e) {
            throw failure("read _emulator_channels", e);
        }
    }

    /** Inserts or updates one channel, in its own transaction. */
    public synchronized void saveChannel(ChannelRecord channel) {
        try {
            upsert(channel);
            connection.commit();
        } catch (SQLException e) {
            throw rollback("save channel " + channel.channel(), e);
        }
    }

    /** Deletes one channel. */
    public synchronized void deleteChannel(String database, String schema, String pipe, String channel) {
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM _emulator_channels WHERE database = ? AND schema = ? AND pipe = ? AND channel = ?")) {
            ps.setString(1, database);
            ps.setString(2, schema);
            ps.setString(3, pipe);
            ps.setString(4, channel);
            ps.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw rollback("delete channel " + channel, e);
        }
    }

    /** Rows to insert into one SQLite table. */
    public record RowBatch(String sqliteTable, List<String> columnNames, List<Object[]> rows) {
    }

    /**
     * Writes the rows of several batches and the channels' new state in ONE transaction. Batches whose table no
     * longer exists are skipped.
     */
    public synchronized void commit(List<RowBatch> batches, List<ChannelRecord> channels) {
        try {
            // The batches of one table (one per append request, in channel order) are inserted as one run, so only
            // the run's tail needs shorter statements; the order of rows within a table is kept.
            Map<List<String>, List<Object[]>> runs = new LinkedHashMap<>();
            for (RowBatch batch : batches) {
                if (batch.rows().isEmpty() || !tableNames.containsValue(batch.sqliteTable())) {
                    continue;
                }
                List<String> key = new ArrayList<>(batch.columnNames().size() + 1);
                key.add(batch.sqliteTable());
                key.addAll(batch.columnNames());
                runs.computeIfAbsent(key, k -> new ArrayList<>()).addAll(batch.rows());
            }
            for (Map.Entry<List<String>, List<Object[]>> run : runs.entrySet()) {
                List<String> key = run.getKey();
                insertRows(key.get(0), key.subList(1, key.size()), run.getValue());
            }
            for (ChannelRecord channel : channels) {
                upsert(channel);
            }
            connection.commit();
        } catch (SQLException e) {
            throw rollback("commit", e);
        }
    }

    /** Runs a query (or a statement) and returns its rows as column-label → value maps. */
    public synchronized List<Map<String, Object>> query(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> result = new ArrayList<>();
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= n; i++) {
                            row.put(md.getColumnLabel(i), rs.getObject(i));
                        }
                        result.add(row);
                    }
                }
            }
            connection.commit();
            return result;
        } catch (SQLException e) {
            throw rollback("query [" + sql + "]", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (PreparedStatement ps : inserts.values()) {
                ps.close();
            }
            inserts.clear();
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    /**
     * Rows per multi-row INSERT: fewer statement executions per row. Beyond 256 rows the per-value JNI bind
     * dominates, so longer statements gain nothing (figures: benchmarks/results/2026-12-02/NOTES.md).
     */
    static int rowsPerStatement(int width) {
        return Math.max(1, Math.min(256, 30_000 / Math.max(1, width)));
    }

    /**
     * Inserts rows with multi-row statements of {@link #rowsPerStatement} rows, then the tail with statements of
     * halving sizes (128, 64, ... 1 rows), so that a tail costs a few executions rather than one per row while
     * at most nine statements per table are prepared.
     */
    private void insertRows(String table, List<String> columns, List<Object[]> rows) throws SQLException {
        int width = columns.size();
        int chunk = rowsPerStatement(width);
        int i = 0;
        while (i < rows.size()) {
            int left = rows.size() - i;
            int count = chunk;
            while (count > left) {
                count = Integer.highestOneBit(Math.min(count - 1, left));
            }
            PreparedStatement ps = insert(table, columns, count);
            int p = 1;
            for (int r = i; r < i + count; r++) {
                p = bind(ps, p, rows.get(r), width);
            }
            ps.executeUpdate();
            i += count;
        }
    }

    private static int bind(PreparedStatement ps, int position, Object[] row, int width) throws SQLException {
        int p = position;
        for (int c = 0; c < width; c++, p++) {
            Object v = row[c];
            if (v == null) {
                ps.setNull(p, Types.NULL);
            } else if (v instanceof String text) {
                ps.setString(p, text);
            } else if (v instanceof Long || v instanceof Integer) {
                // the same bind_long / bind_int as setLong / setInt, without the driver boxing the value again
                ps.setObject(p, v);
            } else if (v instanceof Double d) {
                ps.setDouble(p, d);
            } else if (v instanceof java.math.BigDecimal d) {
                long whole = DecimalBinding.wholeValue(d);
                if (whole != DecimalBinding.NOT_WHOLE) {
                    ps.setObject(p, whole);  // what NUMERIC affinity makes of the text anyway (DecimalBinding)
                } else {
                    ps.setString(p, d.toString());  // what setBigDecimal binds
                }
            } else {
                ps.setObject(p, v);
            }
        }
        return p;
    }

    private PreparedStatement insert(String table, List<String> columns, int rowCount) throws SQLException {
        String key = table + '\u0000' + rowCount;
        PreparedStatement ps = inserts.get(key);
        if (ps == null) {
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (");
            for (int i = 0; i < columns.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(quote(columns.get(i)));
            }
            sql.append(") VALUES ");
            for (int r = 0; r < rowCount; r++) {
                sql.append(r == 0 ? "(" : ", (");
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                }
                sql.append(')');
            }
            ps = connection.prepareStatement(sql.toString());
            inserts.put(key, ps);
        }
        return ps;
    }

    private void closeInsert(String table) throws SQLException {
        for (String key : new ArrayList<>(inserts.keySet())) {
            if (key.startsWith(table + '\u0000')) {
                inserts.remove(key).close();
            }
        }
    }

    private void upsert(ChannelRecord c) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO _emulator_channels (database, schema, pipe,"
                + " channel, client_sequencer, committed_offset_token, rows_inserted, rows_parsed, rows_error_count,"
                + " last_error_offset_upper_bound, last_error_message, last_error_timestamp_ms, created_on_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (database, schema, pipe, channel) DO UPDATE SET"
                + " client_sequencer = excluded.client_sequencer, committed_offset_token = excluded.committed_offset_token,"
                + " rows_inserted = excluded.rows_inserted, rows_parsed = excluded.rows_parsed,"
                + " rows_error_count = excluded.rows_error_count,"
                + " last_error_offset_upper_bound = excluded.last_error_offset_upper_bound,"
                + " last_error_message = excluded.last_error_message,"
                + " last_error_timestamp_ms = excluded.last_error_timestamp_ms, created_on_ms = excluded.created_on_ms")) {
            ps.setString(1, c.database());
            ps.setString(2, c.schema());
            ps.setString(3, c.pipe());
            ps.setString(4, c.channel());
            ps.setLong(5, c.clientSequencer());
            ps.setString(6, c.committedToken());
            ps.setLong(7, c.rowsInserted());
            ps.setLong(8, c.rowsParsed());
            ps.setLong(9, c.rowsErrorCount());
            ps.setString(10, c.lastErrorOffsetUpperBound());
            ps.setString(11, c.lastErrorMessage());
            if (c.lastErrorTimestampMs() == null) {
                ps.setNull(12, Types.INTEGER);
            } else {
                ps.setLong(12, c.lastErrorTimestampMs());
            }
            ps.setLong(13, c.createdOnMs());
            ps.executeUpdate();
        }
    }

    private static String key(TableSpec t) {
        return key(t.database(), t.schema(), t.name());
    }

    private static String key(String database, String schema, String name) {
        return database + '\u0000' + schema + '\u0000' + name;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private IllegalStateException rollback(String what, SQLException e) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
        return failure(what, e);
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("emulator store: " + what + " failed: " + e.getMessage(), e);
    }
}
