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
 * The soak form of exactly-once under fire: 100 SIGKILLs and at least 1,000,000 rows, same checks as
 * {@link TortureIT}. Runs only with {@code mvn -B -ntp -Psoak -pl guarantees verify} (the module's failsafe
 * configuration excludes {@code *SoakIT} otherwise). Takes about 10–15 minutes on 2 cores.
 */
class TortureSoakIT {

    @TempDir
    Path dir;

    @Test
    void everyRowLandsExactlyOnceThroughAHundredKills() throws Exception {
        long seed = Long.getLong("torture.seed", System.nanoTime());
        int kills = Integer.getInteger("torture.kills", 100);
        long rows = Long.getLong("torture.rows", 1_000_000L);
        Result result = new TortureHarness(new TortureHarness.Settings(seed, kills, rows, 2200,
                Duration.ofMillis(2500), Duration.ofSeconds(12), Duration.ofMinutes(10), dir)).run();
        System.out.println(result.summary());

        assertThat(result.kills()).as("kills").isGreaterThanOrEqualTo(kills);
        assertThat(result.producedTotal()).as("rows produced").isGreaterThanOrEqualTo(rows);
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
