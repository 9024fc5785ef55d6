package io.snowpiperelay.postgres.internal;

import io.snowpiperelay.postgres.MissingGrantException;
import io.snowpiperelay.postgres.PostgresOutboxException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates or checks the outbox tables when an outbox opens. Creation runs in one transaction under a transaction-level
 * advisory lock, so application instances starting at once do not race on {@code CREATE TABLE IF NOT EXISTS}; the
 * schema version is kept in the outbox table's comment, so a newer layout is refused rather than misread.
 */
public final class OutboxSchema {

    /** PostgreSQL 14: the oldest release the outbox is tested on. */
    public static final int MIN_SERVER_VERSION_NUM = 140000;

    private OutboxSchema() {
    }

    /**
     * Makes sure the tables exist in a version this code understands.
     *
     * @param create whether missing tables may be created
     * @throws MissingGrantException    if tables are missing and the role may not create them
     * @throws PostgresOutboxException  if the server is too old, tables are missing and {@code create} is false, or
     *                                  the tables were created by a newer version
     */
    public static void ensure(Connection connection, OutboxTables tables, boolean create) throws SQLException {
        int version = serverVersionNum(connection);
        if (version < MIN_SERVER_VERSION_NUM) {
            throw new PostgresOutboxException(tables.outbox, null, "outbox " + tables.outbox + ": the server is"
                    + " PostgreSQL " + version / 10000 + " (server_version_num " + version + "); the outbox needs"
                    + " PostgreSQL 14 or later", null);
        }
        if (!allExist(connection, tables)) {
            String role = Grants.currentUser(connection);
            if (!create) {
                throw new PostgresOutboxException(tables.outbox, null, "outbox " + tables.outbox + ": tables "
                        + tables.outbox + ", " + tables.streams + " and " + tables.deadLetters + " are not all"
                        + " there and createTables is false; create them with the DDL in docs/postgres-outbox.md,"
                        + " or open once with createTables(true) as a role with CREATE on schema " + tables.schema(),
                        null);
            }
            List<String> missing = Grants.missingToCreate(connection, tables, role);
            if (!missing.isEmpty()) {
                throw new MissingGrantException(tables.outbox, null, role, "to create the outbox tables in schema "
                        + tables.schema(), missing, null);
            }
            createTables(connection, tables);
        }
        checkVersion(connection, tables);
    }

    private static void createTables(Connection connection, OutboxTables tables) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean committed = false;
        try (Statement ddl = connection.createStatement();
             PreparedStatement lock = connection.prepareStatement(
                     "SELECT pg_advisory_xact_lock(hashtext('snowpipe-relay schema ' || ?))")) {
            lock.setString(1, tables.outbox);
            lock.execute();
            for (String statement : tables.createStatements()) {
                ddl.execute(statement);
            }
            connection.commit();
            committed = true;
        } finally {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean allExist(Connection connection, OutboxTables tables) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(OutboxTables.TABLE_EXISTS)) {
            for (String table : new String[] {tables.outbox, tables.streams, tables.deadLetters}) {
                query.setString(1, table);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (!rows.getBoolean(1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void checkVersion(Connection connection, OutboxTables tables) throws SQLException {
        String comment;
        try (PreparedStatement query = connection.prepareStatement(OutboxTables.SELECT_COMMENT)) {
            query.setString(1, tables.outbox);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                comment = rows.getString(1);
            }
        }
        if (comment == null || !comment.startsWith(OutboxTables.COMMENT_PREFIX)) {
            // Created by hand from the documented DDL without the comment: the layout is checked by use.
            return;
        }
        int found;
        try {
            found = Integer.parseInt(comment.substring(OutboxTables.COMMENT_PREFIX.length()).trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (found > OutboxTables.SCHEMA_VERSION) {
            throw new PostgresOutboxException(tables.outbox, null, "outbox " + tables.outbox + " has schema version "
                    + found + " but this snowpipe-relay understands up to " + OutboxTables.SCHEMA_VERSION
                    + "; upgrade snowpipe-relay on this application", null);
        }
    }

    private static int serverVersionNum(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
