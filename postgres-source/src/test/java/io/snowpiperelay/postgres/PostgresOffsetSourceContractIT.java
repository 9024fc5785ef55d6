package io.snowpiperelay.postgres;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.OffsetSourceContract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PostgresOffsetSource} keeps the {@link OffsetSourceContract} (core's test-jar), on a real PostgreSQL. */
class PostgresOffsetSourceContractIT extends OffsetSourceContract {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private static final String STREAM = "CONTRACT";

    private PostgresOutbox outbox;
    private PostgresOffsetSource source;

    @Override
    protected OffsetSource createSource() {
        // A new, empty store per test: tables of their own.
        outbox = PostgresOutbox.open(POSTGRES.superuser(),
                PostgresServerExtension.newConfig().toBuilder().deleteChunkRows(4).build());
        source = outbox.openSource(STREAM);
        return source;
    }

    /** One transaction per call, committed when it returns; thread-safe (a connection per call). */
    @Override
    protected void append(List<String> jsonPayloads) {
        outbox.appendAll(STREAM, jsonPayloads);
    }

    /**
     * Offsets are dense, and a rolled-back row never gets one; a gap appears only when a stamped row is deleted behind
     * the relay's back: stamp a row, then delete it with SQL.
     */
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
    protected void release(OffsetSource sourceUnderTest) {
        ((PostgresOffsetSource) sourceUnderTest).close();
        outbox.close();
    }
}
