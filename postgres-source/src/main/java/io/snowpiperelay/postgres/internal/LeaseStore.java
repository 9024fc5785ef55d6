package io.snowpiperelay.postgres.internal;

import io.snowpiperelay.postgres.PostgresOutboxConfig;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay fleet's two tables and every statement on them. Expiry is always computed and compared by the database's
 * clock ({@code clock_timestamp()}), never a member's, so members' clocks may disagree freely.
 *
 * <ul>
 *   <li>{@code <prefix>_lease}: one row per (stream, partition): the owning member (NULL when free), the lease's
 *       epoch (incremented by every claim, so a stale owner's epoch never matches again) and its expiry.</li>
 *   <li>{@code <prefix>_member}: one row per member with the expiry of its registration; live members are those
 *       not expired, and the partitions are shared evenly among them.</li>
 * </ul>
 * Not thread-safe by itself: each method works on the connection it is given.
 */
public final class LeaseStore {

    /** A lease this member holds: which partition, its epoch, and when the database says it expires. */
    public record Held(String stream, int partition, long epoch) {
    }

    /** A row of the lease table, as shown by {@code RelayFleet.assignments()}. */
    public record Row(String stream, int partition, String owner, long epoch, Timestamp expiresAt, boolean live) {
    }

    private final String schema;
    private final String leaseTable;
    private final String memberTable;
    private final String leaseSql;
    private final String memberSql;

    public LeaseStore(PostgresOutboxConfig config) {
        this.schema = config.schema();
        this.leaseTable = schema + "." + config.tablePrefix() + "_lease";
        this.memberTable = schema + "." + config.tablePrefix() + "_member";
        this.leaseSql = '"' + schema + "\".\"" + config.tablePrefix() + "_lease\"";
        this.memberSql = '"' + schema + "\".\"" + config.tablePrefix() + "_member\"";
    }

    /** The lease table, schema-qualified. */
    public String leaseTable() {
        return leaseTable;
    }

    /** The member table, schema-qualified. */
    public String memberTable() {
        return memberTable;
    }

    /** Creates both tables if missing, under a transaction-level advisory lock so that members starting at once do not race. */
    public void createTables(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        boolean committed = false;
        try (Statement ddl = connection.createStatement();
             PreparedStatement lock = connection.prepareStatement(
                     "SELECT pg_advisory_xact_lock(hashtext('snowpipe-relay schema ' || ?))")) {
            lock.setString(1, leaseTable);
            lock.execute();
            ddl.execute("CREATE TABLE IF NOT EXISTS " + leaseSql + " ("
                    + " stream text NOT NULL,"
                    + " partition integer NOT NULL,"
                    + " owner text,"
                    + " epoch bigint NOT NULL DEFAULT 0,"
                    + " expires_at timestamptz NOT NULL DEFAULT '-infinity',"
                    + " acquired_at timestamptz,"
                    + " PRIMARY KEY (stream, partition))");
            ddl.execute("CREATE TABLE IF NOT EXISTS " + memberSql + " ("
                    + " member text PRIMARY KEY,"
                    + " expires_at timestamptz NOT NULL,"
                    + " joined_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            connection.commit();
            committed = true;
        } finally {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        }
    }

    /** Creates the lease rows of partitions {@code 0..partitionCount-1} of {@code stream} (free) where missing. */
    public void registerPartitions(Connection connection, String stream, int partitionCount) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + leaseSql
                + " (stream, partition) SELECT ?, g FROM generate_series(0, ? - 1) AS g ON CONFLICT DO NOTHING")) {
            insert.setString(1, stream);
            insert.setInt(2, partitionCount);
            insert.executeUpdate();
        }
    }

    /** The number of partitions the lease table knows for {@code stream} (highest partition + 1; 0 if none). */
    public int knownPartitions(Connection connection, String stream) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT coalesce(max(partition) + 1, 0) FROM " + leaseSql + " WHERE stream = ?")) {
            query.setString(1, stream);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Registers or refreshes {@code member}, live for {@code ttl} from the database's now. */
    public void heartbeat(Connection connection, String member, Duration ttl) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + memberSql
                + " (member, expires_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))"
                + " ON CONFLICT (member) DO UPDATE SET expires_at = excluded.expires_at")) {
            upsert.setString(1, member);
            upsert.setDouble(2, seconds(ttl));
            upsert.executeUpdate();
        }
    }

    /** The live members' ids, sorted; also forgets members expired for longer than {@code forgetAfter}. */
    public List<String> liveMembers(Connection connection, Duration forgetAfter) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM " + memberSql
                + " WHERE expires_at < clock_timestamp() - make_interval(secs => ?)")) {
            forget.setDouble(1, seconds(forgetAfter));
            forget.executeUpdate();
        }
        List<String> members = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT member FROM " + memberSql
                + " WHERE expires_at > clock_timestamp() ORDER BY member COLLATE \"C\"")) {
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    members.add(rows.getString(1));
                }
            }
        }
        return members;
    }

    /** Removes {@code member}'s registration (on a graceful close). */
    public void leave(Connection connection, String member) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + memberSql + " WHERE member = ?")) {
            delete.setString(1, member);
            delete.executeUpdate();
        }
    }

    /**
     * Extends every unexpired lease {@code member} holds to {@code duration} from the database's now, and returns
     * them. A lease that already expired is not renewed, even if nobody took it: its holder has stopped by then, and
     * must claim it again under a new epoch.
     */
    public List<Held> renew(Connection connection, String member, Duration duration) throws SQLException {
        List<Held> renewed = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + leaseSql
                + " SET expires_at = clock_timestamp() + make_interval(secs => ?)"
                + " WHERE owner = ? AND expires_at > clock_timestamp() RETURNING stream, partition, epoch")) {
            update.setDouble(1, seconds(duration));
            update.setString(2, member);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    renewed.add(new Held(rows.getString(1), rows.getInt(2), rows.getLong(3)));
                }
            }
        }
        return renewed;
    }

    /**
     * Claims up to {@code maxPartitions} free or expired partitions of {@code streams} for {@code member}, picked at
     * random, skipping rows another session has locked (a claim in progress, or a guarded stamp or delete of the
     * current owner): members claiming at once spread over different rows instead of queueing on the same ones.
     * Each claim increments the epoch.
     */
    public List<Held> claim(Connection connection, String member, List<String> streams, int maxPartitions,
                            Duration duration) throws SQLException {
        List<Held> claimed = new ArrayList<>();
        if (maxPartitions < 1) {
            return claimed;
        }
        Array streamArray = connection.createArrayOf("text", streams.toArray());
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + leaseSql + " AS l"
                + " SET owner = ?, epoch = l.epoch + 1,"
                + " expires_at = clock_timestamp() + make_interval(secs => ?), acquired_at = clock_timestamp()"
                + " WHERE (l.stream, l.partition) IN (SELECT stream, partition FROM " + leaseSql
                + " WHERE stream = ANY(?) AND (owner IS NULL OR expires_at <= clock_timestamp())"
                + " ORDER BY random() LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " RETURNING l.stream, l.partition, l.epoch")) {
            update.setString(1, member);
            update.setDouble(2, seconds(duration));
            update.setArray(3, streamArray);
            update.setInt(4, maxPartitions);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Held(rows.getString(1), rows.getInt(2), rows.getLong(3)));
                }
            }
        } finally {
            streamArray.free();
        }
        return claimed;
    }

    /** Frees a lease if {@code member} still holds it with {@code epoch}; true if it did. */
    public boolean release(Connection connection, String member, Held lease) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + leaseSql
                + " SET owner = NULL, expires_at = '-infinity'"
                + " WHERE stream = ? AND partition = ? AND owner = ? AND epoch = ?")) {
            update.setString(1, lease.stream());
            update.setInt(2, lease.partition());
            update.setString(3, member);
            update.setLong(4, lease.epoch());
            return update.executeUpdate() == 1;
        }
    }

    /**
     * The guard of a lease-holder's write, run first in the write's own transaction: true if {@code member} still
     * holds {@code lease} with its epoch and the database's clock says it has not expired. It locks the lease row
     * {@code FOR SHARE} until the transaction ends, so no claim can take the partition while the write is in
     * flight (a claimer skips the row and tries again later).
     */
    public boolean holdsForWrite(Connection connection, String member, Held lease) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + leaseSql
                + " WHERE stream = ? AND partition = ? AND owner = ? AND epoch = ? AND expires_at > clock_timestamp()"
                + " FOR SHARE")) {
            query.setString(1, lease.stream());
            query.setInt(2, lease.partition());
            query.setString(3, member);
            query.setLong(4, lease.epoch());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Every lease row of {@code streams}, ordered by stream and partition. */
    public List<Row> rows(Connection connection, List<String> streams) throws SQLException {
        List<Row> result = new ArrayList<>();
        Array streamArray = connection.createArrayOf("text", streams.toArray());
        try (PreparedStatement query = connection.prepareStatement("SELECT stream, partition, owner, epoch,"
                + " expires_at, owner IS NOT NULL AND expires_at > clock_timestamp() FROM " + leaseSql
                + " WHERE stream = ANY(?) ORDER BY stream, partition")) {
            query.setArray(1, streamArray);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    result.add(new Row(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getLong(4),
                            rows.getTimestamp(5), rows.getBoolean(6)));
                }
            }
        } finally {
            streamArray.free();
        }
        return result;
    }

    /** A lease row with its remaining time by the database's clock, as {@code FleetLeases} shows it. */
    public record Snapshot(String stream, int partition, String owner, long epoch, double secondsLeft) {
    }

    /** Whether the lease table exists (a fleet has run on this outbox); needs no privilege on it. */
    public boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, leaseSql);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /**
     * Every lease row of every stream, ordered by stream and partition, with the seconds until its expiry by the
     * database's clock (negative once expired; {@code -infinity} for a free row reads as negative infinity).
     */
    public List<Snapshot> snapshot(Connection connection) throws SQLException {
        List<Snapshot> result = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT stream, partition, owner, epoch,"
                + " CASE WHEN expires_at = '-infinity' THEN '-Infinity'::float8"
                + " ELSE extract(epoch FROM expires_at - clock_timestamp())::float8 END"
                + " FROM " + leaseSql + " ORDER BY stream COLLATE \"C\", partition")) {
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    result.add(new Snapshot(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getLong(4),
                            rows.getDouble(5)));
                }
            }
        }
        return result;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
