package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.guarantees.harness.FleetHarness;
import io.snowpiperelay.guarantees.harness.FleetHarness.Result;
import io.snowpiperelay.postgres.PostgresServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI form of the relay fleet under fire (see {@link FleetHarness}): three {@code ski-resort relay --fleet}
 * processes share 8 partitions of a PostgreSQL outbox while writers write; one round of SIGKILL (partitions owned
 * again within lease + 5 s), a joining member, a graceful stop, and a SIGSTOP beyond the lease then SIGCONT; then every
 * event landed exactly once, each skier's in order, the outbox drained. {@code -Dfleet.seed=N} reruns a failure.
 */
class FleetIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @TempDir
    Path dir;

    @Test
    void partitionsMoveThroughKillsJoinsStopsAndPausesWithEveryRowOnceInOrder() throws Exception {
        long seed = Long.getLong("fleet.seed", System.nanoTime());
        Duration lease = Duration.ofSeconds(4);
        Result result = new FleetHarness(new FleetHarness.Settings(seed, 1, 8, 2, lease, Duration.ofMillis(800),
                Duration.ofMillis(1200), dir), POSTGRES.superuser(), POSTGRES.jdbcUrl(),
                PostgresServerExtension.SUPERUSER, "fleet_it").run();
        System.out.println(result.summary());

        assertThat(result.written()).as("events written").isGreaterThan(1_000);
        assertThat(result.takeovers()).as("takeovers after SIGKILL and SIGSTOP").hasSize(2)
                .allMatch(d -> d.compareTo(lease.plus(FleetHarness.TAKEOVER_SLACK)) <= 0);
        assertThat(result.duplicates()).as("duplicates").isZero();
        assertThat(result.landed()).as("events landed").isEqualTo(result.written());
        assertThat(result.outOfOrder()).as("events landed out of their skier's order").isZero();
        assertThat(result.outboxLeft()).as("rows left in the outbox").isZero();
    }
}
