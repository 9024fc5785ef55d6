package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.LeaseStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A read-only view of a {@link RelayFleet}'s leases for monitoring (a dashboard, a health page): who owns which
 * partition of every stream, under which epoch, and for how much longer. It reads the lease table of the outbox that
 * {@code config} names and never writes; it needs only {@code SELECT} on that table, and it does not need to know
 * the fleet's streams or channels. Expiry is measured by the database's clock, as the fleet itself measures it.
 *
 * <pre>{@code
 * FleetLeases leases = FleetLeases.of(dataSource, PostgresOutboxConfig.defaults());
 * leases.read().ifPresent(rows -> rows.forEach(System.out::println));
 * }</pre>
 *
 * Thread-safe: every call takes its own connection from the data source.
 */
public final class FleetLeases {

    /** What a lease row says now. */
    public enum State {
        /** An owner holds the lease and it has not expired. */
        OWNED,
        /** An owner was recorded but its lease expired: the partition waits for the next claim. */
        EXPIRED,
        /** Nobody holds the partition (never claimed, or released on a graceful close). */
        UNOWNED
    }

    /**
     * One partition's lease.
     *
     * @param stream      the stream
     * @param partition   the partition, from 0
     * @param owner       the member the lease names, or {@code null} when unowned
     * @param epoch       the lease's epoch (incremented by every claim)
     * @param secondsLeft seconds until the lease expires by the database's clock; negative once expired,
     *                    negative infinity when unowned
     * @param state       what that means
     */
    public record Lease(String stream, int partition, String owner, long epoch, double secondsLeft, State state) {
    }

    private final DataSource dataSource;
    private final LeaseStore store;

    private FleetLeases(DataSource dataSource, LeaseStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /**
     * A reader of the leases of the outbox {@code config} names (its schema and table prefix; the other settings do
     * not matter here).
     */
    public static FleetLeases of(DataSource dataSource, PostgresOutboxConfig config) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        return new FleetLeases(dataSource, new LeaseStore(config));
    }

    /** A reader of the leases of {@code outbox}'s fleet, over the outbox's own data source. */
    public static FleetLeases of(PostgresOutbox outbox) {
        Objects.requireNonNull(outbox, "outbox");
        return of(outbox.dataSource(), outbox.config());
    }

    /** The lease table this reader reads, schema-qualified. */
    public String leaseTable() {
        return store.leaseTable();
    }

    /**
     * Every lease row, ordered by stream and partition; empty when no fleet ever ran on this outbox (no lease table).
     *
     * @throws PostgresOutboxException when the lease table cannot be read
     */
    public Optional<List<Lease>> read() {
        try (Connection connection = dataSource.getConnection()) {
            if (!store.exists(connection)) {
                return Optional.empty();
            }
            List<Lease> leases = new ArrayList<>();
            for (LeaseStore.Snapshot row : store.snapshot(connection)) {
                State state = row.owner() == null ? State.UNOWNED
                        : row.secondsLeft() > 0 ? State.OWNED : State.EXPIRED;
                leases.add(new Lease(row.stream(), row.partition(), row.owner(), row.epoch(), row.secondsLeft(),
                        state));
            }
            return Optional.of(List.copyOf(leases));
        } catch (SQLException e) {
            throw new PostgresOutboxException(store.leaseTable(), null, "reading the relay fleet's leases in "
                    + store.leaseTable() + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState()
                    + "); the role needs SELECT on it", e);
        }
    }

    @Override
    public String toString() {
        return "FleetLeases[" + store.leaseTable() + "]";
    }
}
