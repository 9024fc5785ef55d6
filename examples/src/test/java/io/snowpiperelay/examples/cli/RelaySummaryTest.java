package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.RunnerState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelaySummaryTest {

    private static RunnerMetrics metrics(String channel, long appended, long rowErrors, long deadLetters) {
        return new RunnerMetrics(channel, RunnerState.RUNNING, 0, 0, 0, 0, 0, appended, 1, 0, rowErrors, deadLetters,
                0, Duration.ZERO);
    }

    @Test
    void sumsTheChannelsAndSaysWhereTheRejectedRowsAre() {
        RelaySummary summary = RelaySummary.of(Map.of("A", metrics("A", 1_000, 3, 3), "B", metrics("B", 500, 0, 1)));
        assertThat(summary).isEqualTo(new RelaySummary(1_500, 3, 4));
        assertThat(summary.anythingSetAside()).isTrue();
        assertThat(summary.rejectedNotKept()).isFalse();
        assertThat(summary.line(Path.of("outbox.db"))).isEqualTo("Rows sent: 1,500, rejected by the service: 3,"
                + " dead letters: 4, kept in table dead_letter of outbox.db ('report --outbox outbox.db' lists them"
                + " per table).");
    }

    @Test
    void rejectedRowsWithoutDeadLettersAreNamedAsNotKept() {
        RelaySummary summary = RelaySummary.of(Map.of("A", metrics("A", 100, 5, 2)));
        assertThat(summary.rejectedNotKept()).isTrue();
        assertThat(summary.line(Path.of("o.db"))).contains("3 rejected row(s) are NOT kept anywhere");
    }

    @Test
    void nothingSetAsideMeansNoSummary() {
        assertThat(RelaySummary.of(Map.of("A", metrics("A", 100, 0, 0))).anythingSetAside()).isFalse();
    }
}
