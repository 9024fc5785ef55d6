package io.snowpiperelay.postgres;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.OffsetSourceContract;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PostgresOffsetSource} keeps the {@link OffsetSourceContract} (core's test-jar), on a real PostgreSQL. */
class PostgresOffsetSourceContractIT extends PostgresOutboxContract {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @Override
    PostgresServerExtension postgres() {
        return POSTGRES;
    }

    @Override
    OffsetSource openSource(PostgresOutboxConfig config) {
        return outbox.openSource(STREAM);
    }
}
