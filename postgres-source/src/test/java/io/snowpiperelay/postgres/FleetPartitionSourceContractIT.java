package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.OffsetSourceContract;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet member's partition source, holding its lease, meets core's {@link OffsetSourceContract} on a real
 * PostgreSQL: the lease guard changes nothing for a member that holds the lease.
 */
class FleetPartitionSourceContractIT extends PostgresOutboxContract {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Override
    PostgresServerExtension postgres() {
        return POSTGRES;
    }

    @Override
    OffsetSource openSource(PostgresOutboxConfig config) throws Exception {
        LeaseStore leases = new LeaseStore(config);
        Duration lease = Duration.ofMinutes(5);
        LeaseStore.Held held;
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            leases.createTables(connection);
            leases.registerPartitions(connection, STREAM, 1);
            held = leases.claim(connection, "contract", List.of(STREAM), 1, lease).get(0);
        }
        LeaseHold hold = new LeaseHold("contract", held, System.nanoTime() + lease.toNanos());
        return FleetPartitionSource.open(POSTGRES.superuser(), outbox.tables(), leases, hold, 1_000, lease);
    }
}
