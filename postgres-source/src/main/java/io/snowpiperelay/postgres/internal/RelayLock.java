package io.snowpiperelay.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one-relay-per-stream guard: a session-level advisory lock keyed by (outbox table, stream and partition), held by
 * the relay's own database session.
 *
 * <p>Why an advisory lock rather than a lease row: it costs no writes, needs no clock, and PostgreSQL releases it the
 * moment the holding session ends, including when the relay is killed with {@code kill -9} (its socket closes and
 * the backend exits). The price: the relay must keep a real session (no transaction-mode pooler such as PgBouncer in
 * transaction mode between relay and server), and a relay cut off by a network partition keeps the lock until the
 * server notices the dead connection (TCP keepalive, {@code tcp_user_timeout}). Keys are 32-bit hashes: two streams
 * whose keys collide would refuse each other (with this same clear error), never share a relay.
 */
public final class RelayLock {

    private static final String NAMESPACE = "snowpipe-relay ";
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext(?), hashtext(?))";
    private static final String HOLDER = "SELECT l.pid, a.application_name, a.client_addr::text, a.backend_start"
            + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND l.classid = hashtext(?)::oid AND l.objid = hashtext(?)::oid";

    private final String tableKey;
    private final String streamKey;

    public RelayLock(OutboxTables tables, String stream, int partition) {
        this.tableKey = NAMESPACE + tables.outbox;
        this.streamKey = stream + "/" + partition;
    }

    /** Takes the lock on {@code session} without waiting; false if another session holds it. */
    public boolean tryAcquire(Connection session) throws SQLException {
        return booleanQuery(session, TRY_LOCK);
    }

    /** Releases the lock held by {@code session} (needed when the session goes back to a pool rather than ending). */
    public void release(Connection session) throws SQLException {
        booleanQuery(session, UNLOCK);
    }

    /**
     * Who holds the lock, as far as this role may see: backend pid, application name, client address and since when;
     * {@code "another session"} if the holder is not visible (or let go meanwhile).
     */
    public String describeHolder(Connection session) {
        try (PreparedStatement query = session.prepareStatement(HOLDER)) {
            query.setString(1, tableKey);
            query.setString(2, streamKey);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return "another session";
                }
                StringBuilder holder = new StringBuilder("another session: backend pid ").append(rows.getInt(1));
                String application = rows.getString(2);
                String client = rows.getString(3);
                java.sql.Timestamp since = rows.getTimestamp(4);
                if (application != null && !application.isEmpty()) {
                    holder.append(", application '").append(application).append('\'');
                }
                if (client != null) {
                    holder.append(", client ").append(client);
                }
                if (since != null) {
                    holder.append(", connected since ").append(since.toInstant());
                }
                return holder.toString();
            }
        } catch (SQLException e) {
            return "another session";
        }
    }

    private boolean booleanQuery(Connection session, String sql) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(sql)) {
            query.setString(1, tableKey);
            query.setString(2, streamKey);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
