package io.snowpiperelay.postgres;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.OffsetSourceContract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * What the PostgreSQL sources' runs of core's {@link OffsetSourceContract} share: a fresh outbox per test on the
 * subclass's server, appends through it, and the gap a stamped row deleted behind the source's back leaves.
 * Subclasses say which source they open over the outbox.
 */
abstract class PostgresOutboxContract extends OffsetSourceContract {
    static final String STREAM = "CONTRACT";
    private static final String GONE = "{\"k\":\"gone\"}";

    PostgresOutbox outbox;
    private OffsetSource source;

    /** The subclass's server (its own {@code @RegisterExtension}, started and stopped with the class). */
    abstract PostgresServerExtension postgres();

    /** The source under test over {@link #outbox}, opened with {@code config}. */
    abstract OffsetSource openSource(PostgresOutboxConfig config) throws Exception;

    /** The outbox's settings; small delete chunks so that the contract's deletes span several transactions. */
    PostgresOutboxConfig config() {
        return PostgresServerExtension.newConfig().toBuilder().deleteChunkRows(4).build();
    }

    @Override
    protected final OffsetSource createSource() throws Exception {
        // A new, empty store per test: tables of their own.
        PostgresOutboxConfig config = config();
        outbox = PostgresOutbox.open(postgres().superuser(), config);
        source = openSource(config);
        return source;
    }

    /** One transaction per call, committed when it returns; thread-safe (a connection per call). */
    @Override
    protected final void append(List<String> jsonPayloads) {
        outbox.appendAll(STREAM, jsonPayloads);
    }

    /**
     * Offsets are dense, and a rolled-back row never gets one; a gap appears only when a stamped row is deleted behind
     * the relay's back: stamp a row, then delete it with SQL.
     */
    @Override
    protected final boolean leaveGap() throws Exception {
        outbox.append(STREAM, GONE);
        long highest = source.highestIssuedOffset().orElseThrow();
        source.getData(highest, 10_000); // stamps every committed row, the one above included
        try (Connection connection = postgres().superuser().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM " + outbox.table()
                     + " WHERE payload = ?")) {
            delete.setString(1, GONE);
            return delete.executeUpdate() == 1;
        }
    }

    @Override
    protected final void release(OffsetSource sourceUnderTest) throws Exception {
        super.release(sourceUnderTest);
        if (outbox != null) {
            outbox.close();
        }
    }
}
