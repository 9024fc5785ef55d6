package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.postgres.internal.LeaseStore;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link FleetLeases} against the lease table the fleet's own {@link LeaseStore} writes. */
class FleetLeasesIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Test
    void readsTheOwnerEpochAndRemainingTimeOfEveryLease() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        LeaseStore store = new LeaseStore(config);
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            store.createTables(connection);
            store.registerPartitions(connection, "LIFT_RIDE", 4);
            store.registerPartitions(connection, "ORDERS", 1);
            store.claim(connection, "member-a", List.of("LIFT_RIDE"), 2, Duration.ofMinutes(5));
            store.claim(connection, "member-b", List.of("LIFT_RIDE"), 1, Duration.ofMinutes(5));
            // A lease that expires the moment it is taken: what a dead member leaves behind.
            store.claim(connection, "member-dead", List.of("LIFT_RIDE"), 1, Duration.ZERO);
        }

        List<FleetLeases.Lease> leases = FleetLeases.of(POSTGRES.dataSource("postgres"), config).read().orElseThrow();

        assertThat(leases).extracting(l -> l.stream() + "/" + l.partition())
                .containsExactly("LIFT_RIDE/0", "LIFT_RIDE/1", "LIFT_RIDE/2", "LIFT_RIDE/3", "ORDERS/0");
        Map<String, List<Integer>> ownedBy = leases.stream()
                .filter(l -> l.state() == FleetLeases.State.OWNED)
                .collect(Collectors.groupingBy(FleetLeases.Lease::owner,
                        Collectors.mapping(FleetLeases.Lease::partition, Collectors.toList())));
        assertThat(ownedBy).containsOnlyKeys("member-a", "member-b");
        assertThat(ownedBy.get("member-a")).hasSize(2);
        assertThat(ownedBy.get("member-b")).hasSize(1);
        assertThat(leases).filteredOn(l -> l.state() == FleetLeases.State.OWNED)
                .allSatisfy(l -> {
                    assertThat(l.epoch()).isEqualTo(1);
                    assertThat(l.secondsLeft()).isBetween(0.0, 300.0);
                });
        assertThat(leases).filteredOn(l -> l.state() == FleetLeases.State.EXPIRED).singleElement()
                .satisfies(l -> {
                    assertThat(l.owner()).isEqualTo("member-dead");
                    assertThat(l.secondsLeft()).isLessThanOrEqualTo(0.0);
                });
        assertThat(leases).filteredOn(l -> l.state() == FleetLeases.State.UNOWNED).singleElement()
                .satisfies(l -> {
                    assertThat(l.stream()).isEqualTo("ORDERS");
                    assertThat(l.owner()).isNull();
                    assertThat(l.epoch()).isZero();
                });
    }

    @Test
    void isEmptyWhenNoFleetEverRanOnTheOutbox() {
        FleetLeases leases = FleetLeases.of(POSTGRES.superuser(), PostgresServerExtension.newConfig());

        assertThat(leases.read()).isEmpty();
    }

    @Test
    void namesTheLeaseTableWhenItCannotBeRead() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            new LeaseStore(config).createTables(connection);
        }
        POSTGRES.execute("DROP ROLE IF EXISTS fleet_watcher", "CREATE ROLE fleet_watcher LOGIN");
        FleetLeases leases = FleetLeases.of(POSTGRES.dataSource("fleet_watcher"), config);

        assertThatThrownBy(leases::read).isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining(leases.leaseTable()).hasMessageContaining("SELECT");
    }
}
