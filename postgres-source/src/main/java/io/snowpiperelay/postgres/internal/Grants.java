package io.snowpiperelay.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Which privileges the current role lacks, as the {@code GRANT} statements that would give them. Asked before work
 * starts, so that a missing right is reported by name instead of as a bare "permission denied" later.
 */
public final class Grants {

    /** SQLSTATE {@code insufficient_privilege}. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Grants() {
    }

    /** The role the connection acts as ({@code current_user}). */
    public static String currentUser(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The grants missing to create the outbox tables in their schema: USAGE and CREATE on it. */
    public static List<String> missingToCreate(Connection connection, OutboxTables tables, String role)
            throws SQLException {
        return missingOnSchema(connection, tables.schema(), role, "USAGE", "CREATE");
    }

    /** The grants missing to append: USAGE on the schema, INSERT on the outbox table. */
    public static List<String> missingToAppend(Connection connection, OutboxTables tables, String role)
            throws SQLException {
        List<String> missing = missingOnSchema(connection, tables.schema(), role, "USAGE");
        missing.addAll(missingOnTable(connection, tables.outbox, role, "INSERT"));
        return missing;
    }

    /**
     * The grants missing to relay a stream: read, stamp and delete outbox rows, keep the stream's counter, store dead
     * letters.
     */
    public static List<String> missingToRelay(Connection connection, OutboxTables tables, String role)
            throws SQLException {
        List<String> missing = missingOnSchema(connection, tables.schema(), role, "USAGE");
        missing.addAll(missingOnTable(connection, tables.outbox, role, "SELECT", "UPDATE", "DELETE"));
        missing.addAll(missingOnTable(connection, tables.streams, role, "SELECT", "INSERT", "UPDATE"));
        missing.addAll(missingOnTable(connection, tables.deadLetters, role, "SELECT", "INSERT", "UPDATE"));
        return missing;
    }

    private static List<String> missingOnSchema(Connection connection, String schema, String role,
                                                String... privileges) throws SQLException {
        List<String> lacking = lacking(connection, "has_schema_privilege", schema, privileges);
        List<String> grants = new ArrayList<>();
        if (!lacking.isEmpty()) {
            grants.add("GRANT " + String.join(", ", lacking) + " ON SCHEMA " + schema + " TO " + quote(role));
        }
        return grants;
    }

    private static List<String> missingOnTable(Connection connection, String table, String role,
                                               String... privileges) throws SQLException {
        List<String> lacking = lacking(connection, "has_table_privilege", table, privileges);
        return lacking.isEmpty() ? List.of()
                : List.of("GRANT " + String.join(", ", lacking) + " ON " + table + " TO " + quote(role));
    }

    private static List<String> lacking(Connection connection, String function, String object,
                                        String... privileges) throws SQLException {
        List<String> lacking = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
            for (String privilege : privileges) {
                query.setString(1, object);
                query.setString(2, privilege);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (!rows.getBoolean(1)) {
                        lacking.add(privilege);
                    }
                }
            }
        }
        return lacking;
    }

    /** A role name as SQL: bare when it is a plain lower-case identifier, else double-quoted. */
    static String quote(String role) {
        return role.matches("[a-z_][a-z0-9_]*") ? role : '"' + role.replace("\"", "\"\"") + '"';
    }
}
