package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.OffsetSourceContract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet member's partition source, holding its lease, meets core's {@link OffsetSourceContract} on a real
 * PostgreSQL: the lease guard changes nothing for a member that holds the lease.
 */
class FleetPartitionSourceContractIT extends OffsetSourceContract {

    private static final String STREAM = "CONTRACT";

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private PostgresOutbox outbox;
    private FleetPartitionSource source;

    @Override
    protected OffsetSource createSource() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
        LeaseStore leases = new LeaseStore(config);
        Duration lease = Duration.ofMinutes(5);
        LeaseStore.Held held;
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            leases.createTables(connection);
            leases.registerPartitions(connection, STREAM, 1);
            held = leases.claim(connection, "contract", List.of(STREAM), 1, lease).get(0);
        }
        LeaseHold hold = new LeaseHold("contract", held, System.nanoTime() + lease.toNanos());
        source = FleetPartitionSource.open(POSTGRES.superuser(), outbox.tables(), leases, hold, 1_000, lease);
        return source;
    }

    @Override
    protected void append(List<String> jsonPayloads) {
        outbox.appendAll(STREAM, jsonPayloads);
    }

    /** A stamped row deleted behind the source's back, as PostgresOffsetSourceContractIT does. */
    @Override
    protected boolean leaveGap() throws Exception {
        outbox.append(STREAM, "{\"k\":\"gone\"}");
        long highest = source.highestIssuedOffset().orElseThrow();
        source.getData(highest, 10_000); // stamps every committed row, the one above included
        try (Connection connection = POSTGRES.superuser().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + outbox.table()
                     + " WHERE payload = ?")) {
            delete.setString(1, "{\"k\":\"gone\"}");
            return delete.executeUpdate() == 1;
        }
    }

    @Override
    protected void release(OffsetSource sourceUnderTest) throws Exception {
        super.release(sourceUnderTest);
        if (outbox != null) {
            outbox.close();
        }
    }
}
