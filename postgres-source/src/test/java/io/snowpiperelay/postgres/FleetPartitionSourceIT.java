package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.spi.SourceRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lease guard of a fleet partition's source on a real PostgreSQL: while the lease is held the source stamps,
 * reads and deletes; once the database says it expired or another member claimed it, the source stamps and deletes
 * nothing, and once the local deadline passed it hands out nothing at all.
 */
class FleetPartitionSourceIT {

    private static final String STREAM = "GUARDED";
    private static final Duration LEASE = Duration.ofSeconds(30);

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private record Setup(PostgresOutbox outbox, LeaseStore leases) { }

    private Setup setup() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig().toBuilder().partitions(STREAM, 2).build();
        PostgresOutbox outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
        closeables.add(outbox);
        LeaseStore leases = new LeaseStore(config);
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            leases.createTables(connection);
            leases.registerPartitions(connection, STREAM, 2);
        }
        return new Setup(outbox, leases);
    }

    private LeaseStore.Held claim(LeaseStore leases, String member, int count) throws Exception {
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            List<LeaseStore.Held> claimed = leases.claim(connection, member, List.of(STREAM), count, LEASE);
            assertThat(claimed).isNotEmpty();
            return claimed.get(0);
        }
    }

    private FleetPartitionSource open(Setup setup, LeaseHold hold) {
        FleetPartitionSource source = FleetPartitionSource.open(POSTGRES.superuser(), setup.outbox.tables(),
                setup.leases, hold, 1_000, LEASE);
        closeables.add(source);
        return source;
    }

    private static long rowsIn(Setup setup, int partition) throws Exception {
        try (Connection connection = POSTGRES.superuser().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM " + setup.outbox.table()
                     + " WHERE stream = ? AND partition = ?")) {
            query.setString(1, STREAM);
            query.setInt(2, partition);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void appendKeyed(PostgresOutbox outbox, int partition, int rows) throws Exception {
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            int appended = 0;
            for (int key = 0; appended < rows; key++) {
                if (PostgresOutbox.partitionOf("k" + key, 2) == partition) {
                    outbox.append(connection, STREAM, "k" + key, "{\"K\":" + key + "}");
                    appended++;
                }
            }
        }
    }

    @Test
    void rowsGoToTheirKeysPartitionOrRoundRobin() throws Exception {
        Setup setup = setup();
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            setup.outbox.appendAll(connection, STREAM, List.of("{}", "{}", "{}", "{}", "{}"));
            setup.outbox.append(connection, STREAM, "{}");
            for (int i = 0; i < 4; i++) {
                setup.outbox.append(connection, STREAM, "skier-7", "{}");
            }
        }
        int keyed = PostgresOutbox.partitionOf("skier-7", 2);
        assertThat(rowsIn(setup, keyed)).isEqualTo(3 + 4);
        assertThat(rowsIn(setup, 1 - keyed)).isEqualTo(3);
    }

    @Test
    void aLeaseExpiredInTheDatabaseStopsStampingAndDeleting() throws Exception {
        Setup setup = setup();
        LeaseStore.Held held = claim(setup.leases, "m1", 1);
        LeaseHold hold = new LeaseHold("m1", held, System.nanoTime() + LEASE.toNanos());
        FleetPartitionSource source = open(setup, hold);
        appendKeyed(setup.outbox, held.partition(), 5);

        List<SourceRecord> first = source.getData(0, 3);
        assertThat(first).extracting(SourceRecord::offset).containsExactly(1L, 2L, 3L);
        source.deleteData(2);
        assertThat(rowsIn(setup, held.partition())).isEqualTo(3);

        POSTGRES.execute("UPDATE " + setup.leases.leaseTable() + " SET expires_at = clock_timestamp()"
                + " - interval '1 second' WHERE owner = 'm1'");

        assertThatThrownBy(() -> source.deleteData(3)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("member m1 no longer holds the lease of epoch " + held.epoch());
        assertThat(rowsIn(setup, held.partition())).isEqualTo(3);
        // The guard revoked the local hold too: nothing more is handed out, not even rows stamped before.
        assertThatThrownBy(() -> source.getData(0, 10)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> source.getData(3, 10)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aMemberWhoseLeaseWasTakenOverCannotStampOrDeleteEvenBeforeItsLocalDeadline() throws Exception {
        Setup setup = setup();
        LeaseStore.Held held = claim(setup.leases, "m1", 2);
        LeaseHold oldHold = new LeaseHold("m1", held, System.nanoTime() + LEASE.toNanos());
        FleetPartitionSource oldSource = open(setup, oldHold);
        appendKeyed(setup.outbox, held.partition(), 4);
        assertThat(oldSource.getData(0, 2)).hasSize(2);

        // m1 is cut off; its lease runs out in the database and m2 claims the partition under a new epoch.
        POSTGRES.execute("UPDATE " + setup.leases.leaseTable() + " SET expires_at = clock_timestamp()"
                + " - interval '1 second' WHERE owner = 'm1' AND partition = " + held.partition());
        LeaseStore.Held taken;
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            taken = setup.leases.claim(connection, "m2", List.of(STREAM), 2, LEASE).stream()
                    .filter(h -> h.partition() == held.partition()).findFirst().orElseThrow();
        }
        assertThat(taken.epoch()).isEqualTo(held.epoch() + 1);
        FleetPartitionSource newSource = open(setup, new LeaseHold("m2", taken, System.nanoTime() + LEASE.toNanos()));

        assertThatThrownBy(() -> oldSource.deleteData(2)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> oldSource.getData(2, 10)).isInstanceOf(LeaseLostException.class);
        assertThat(rowsIn(setup, held.partition())).isEqualTo(4);

        // The new owner resumes from the (here: nothing) committed token and sees every row, in offset order: first
        // those the old owner stamped, then the rest, stamped now under the new lease.
        assertThat(newSource.getData(0, 10)).extracting(SourceRecord::offset).containsExactly(1L, 2L);
        assertThat(newSource.getData(2, 10)).extracting(SourceRecord::offset).containsExactly(3L, 4L);
        newSource.deleteData(4);
        assertThat(rowsIn(setup, held.partition())).isZero();
    }

    @Test
    void aPassedLocalDeadlineStopsTheSourceBeforeTheDatabaseExpiry() throws Exception {
        Setup setup = setup();
        LeaseStore.Held held = claim(setup.leases, "m1", 1);
        LeaseHold hold = new LeaseHold("m1", held, System.nanoTime() + LEASE.toNanos());
        FleetPartitionSource source = open(setup, hold);
        appendKeyed(setup.outbox, held.partition(), 3);
        assertThat(source.getData(0, 1)).hasSize(1);

        hold.extendTo(System.nanoTime() - 1); // the heartbeat could not renew in time
        assertThatThrownBy(() -> source.getData(1, 10)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("was not renewed in time");
        assertThatThrownBy(() -> source.deleteData(1)).isInstanceOf(LeaseLostException.class);
        assertThat(rowsIn(setup, held.partition())).isEqualTo(3);
    }
}
