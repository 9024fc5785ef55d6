package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.guarantees.harness.TortureHarness;
import io.snowpiperelay.guarantees.harness.TortureHarness.FaultKind;
import io.snowpiperelay.guarantees.harness.TortureHarness.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI form of exactly-once under fire (see {@link TortureHarness}): at least 12 SIGKILLs of the relay and
 * every kind of emulator fault over at least 50,000 ski-resort rows, then every row exactly once, the outbox empty
 * and exactly the bad rows dead-lettered. A fixed seed reruns a failure: {@code -Dtorture.seed=N}.
 */
class TortureIT {

    @TempDir
    Path dir;

    @Test
    void everyRowLandsExactlyOnceThroughKillsAndFaults() throws Exception {
        long seed = Long.getLong("torture.seed", System.nanoTime());
        Result result = new TortureHarness(new TortureHarness.Settings(seed, 12, 50_000, 900,
                Duration.ofMillis(2500), Duration.ofSeconds(12), Duration.ofMinutes(3), dir)).run();
        System.out.println(result.summary());

        assertThat(result.kills()).as("kills").isGreaterThanOrEqualTo(12);
        assertThat(result.producedTotal()).as("rows produced").isGreaterThanOrEqualTo(50_000);
        for (FaultKind kind : FaultKind.values()) {
            assertThat(result.faults().get(kind)).as("faults of kind " + kind).isGreaterThanOrEqualTo(1);
        }
        assertThat(result.duplicates()).as("duplicates").isZero();
        assertThat(result.missing()).as("missing rows").isZero();
        assertThat(result.unexpected()).as("rows nobody produced").isZero();
        assertThat(result.landed()).as("rows per table").isEqualTo(result.produced());
        assertThat(result.distinctLanded()).as("distinct TXIDs per table").isEqualTo(result.produced());
        assertThat(result.outboxLeft()).as("rows left in the outbox").isZero();
        assertThat(result.deadLettersFound()).as("dead letters").isEqualTo(result.deadLettersExpected())
                .isPositive();
    }
}
