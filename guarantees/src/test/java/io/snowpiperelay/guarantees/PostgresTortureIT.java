package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.guarantees.harness.PostgresTortureHarness;
import io.snowpiperelay.guarantees.harness.PostgresTortureHarness.Result;
import io.snowpiperelay.postgres.PostgresServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI form of exactly-once under fire on a PostgreSQL outbox (see {@link PostgresTortureHarness}): 5 SIGKILLs of
 * the relay while 4 writers keep committing, rolling back and holding transactions open across kills; then every
 * committed event exactly once, no rolled-back one, the outbox empty. A fixed seed reruns a failure:
 * {@code -Dtorture.seed=N}.
 */
class PostgresTortureIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @TempDir
    Path dir;

    @Test
    void everyCommittedEventLandsExactlyOnceThroughKills() throws Exception {
        long seed = Long.getLong("torture.seed", System.nanoTime());
        Result result = new PostgresTortureHarness(
                new PostgresTortureHarness.Settings(seed, 5, 4, 20, Duration.ofMinutes(3), dir),
                POSTGRES.superuser(), POSTGRES.jdbcUrl(), PostgresServerExtension.SUPERUSER,
                PostgresServerExtension.newConfig()).run();
        System.out.println(result.summary());

        assertThat(result.kills()).as("kills").isEqualTo(5);
        assertThat(result.committed()).as("events committed").isGreaterThan(1_000);
        assertThat(result.rolledBack()).as("events rolled back").isPositive();
        assertThat(result.duplicates()).as("duplicates").isZero();
        assertThat(result.missing()).as("missing events").isZero();
        assertThat(result.unexpected()).as("rolled-back or unknown events that landed").isZero();
        assertThat(result.landed()).as("rows landed").isEqualTo(result.committed());
        assertThat(result.outboxLeft()).as("rows left in the outbox").isZero();
    }
}
