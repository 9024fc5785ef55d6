package io.snowpiperelay.sqlite.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams in one outbox file: creates a stream's table on first use and maps every spelling of a
 * stream name to the one stored in the file (its first spelling). Thread-safe: the cache is concurrent, and
 * lookups run under the connection's lock.
 */
public final class StreamCatalogue {

    private static final Logger log = LoggerFactory.getLogger(StreamCatalogue.class);

    private final OutboxContext context;
    private final GroupCommitWriter writer;
    private final OutboxReader reader;
    /** Stream key (lower case) to the name as stored in the file, for streams known to exist. */
    private final Map<String, String> canonicalByKey = new ConcurrentHashMap<>();
    /** Keys of streams whose table this process has created or brought up to date (payload_checked). */
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public StreamCatalogue(OutboxContext context, GroupCommitWriter writer, OutboxReader reader) {
        this.context = context;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * The stream's name as stored in the file (its first spelling), creating the table if {@code create};
     * {@code null} if it does not exist and {@code create} is false.
     *
     * @throws IllegalArgumentException if the stream name is invalid
     * @throws io.snowpiperelay.sqlite.OutboxException on an SQL failure or if the outbox is closed
     */
    public String resolve(String stream, boolean create) {
        String key = StreamNames.key(StreamNames.validate(stream));
        String cached = canonicalByKey.get(key);
        if (cached != null && (!create || ready.contains(key))) {
            return cached;
        }
        SqlWork<String> lookup = connection -> {
            if (create) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.executeUpdate(OutboxSql.createStreamTable(stream));
                }
                addMissingColumns(connection, stream);
                ready.add(key);
            }
            // Another process may have created it first, with another spelling: that one wins.
            String canonical;
            try (PreparedStatement find = connection.prepareStatement(OutboxSql.FIND_STREAM_TABLE)) {
                find.setString(1, StreamNames.key(StreamNames.table(stream)));
                try (ResultSet rows = find.executeQuery()) {
                    if (!rows.next()) {
                        return null;
                    }
                    canonical = rows.getString(1).substring(StreamNames.TABLE_PREFIX.length());
                }
            }
            canonicalByKey.put(key, canonical);
            if (create) {
                log.info("outbox {} - stream {} ready", context.file(), canonical);
            }
            return canonical;
        };
        return create ? writer.write(stream, "creating the stream table", lookup)
                : reader.read(stream, "looking up the stream", lookup);
    }

    /**
     * Brings a table made by an earlier version up to date: adds {@code payload_checked} (its rows read as not
     * checked) and {@code row_count} (each of its rows holds one record). Another process may add them at the same
     * moment; the loser's "duplicate column" is the same outcome.
     */
    private void addMissingColumns(Connection connection, String stream) throws SQLException {
        Set<String> present = new HashSet<>();
        try (Statement query = connection.createStatement();
             ResultSet columns = query.executeQuery(OutboxSql.tableInfo(stream))) {
            while (columns.next()) {
                present.add(columns.getString(2).toLowerCase(Locale.ROOT));
            }
        }
        if (!present.contains(OutboxSql.PAYLOAD_CHECKED)) {
            addColumn(connection, stream, OutboxSql.addPayloadChecked(stream), OutboxSql.PAYLOAD_CHECKED,
                    "rows appended before it read as not checked");
        }
        if (!present.contains(OutboxSql.ROW_COUNT)) {
            addColumn(connection, stream, OutboxSql.addRowCount(stream), OutboxSql.ROW_COUNT,
                    "rows appended before it hold one record each");
        }
    }

    private void addColumn(Connection connection, String stream, String alter, String column, String meaning)
            throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.executeUpdate(alter);
            log.info("outbox {} - stream {}: column {} added ({})", context.file(), stream, column, meaning);
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("duplicate column name")) {
                throw e;
            }
        }
    }

    /**
     * The streams in the file, sorted by name, as they were first spelled.
     *
     * @throws io.snowpiperelay.sqlite.OutboxException on a read failure or if the outbox is closed
     */
    public List<String> streams() {
        return reader.read(null, "streams", connection -> {
            List<String> streams = new ArrayList<>();
            try (Statement query = connection.createStatement();
                 ResultSet rows = query.executeQuery(OutboxSql.LIST_STREAM_TABLES)) {
                while (rows.next()) {
                    String stream = rows.getString(1).substring(StreamNames.TABLE_PREFIX.length());
                    if (StreamNames.VALID.matcher(stream).matches()) {
                        streams.add(stream);
                    }
                }
            }
            return streams;
        });
    }
}
