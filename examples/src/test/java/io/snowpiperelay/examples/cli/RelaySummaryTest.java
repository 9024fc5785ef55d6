package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The relay's closing line; summing the runners' metrics is covered by {@code CommandsIT}. */
class RelaySummaryTest {

    @Test
    void rejectedRowsKeptAsDeadLettersAreSaidToBeThere() {
        RelaySummary summary = new RelaySummary(1_500, 3, 4);
        assertThat(summary.anythingSetAside()).isTrue();
        assertThat(summary.rejectedNotKept()).isFalse();
        assertThat(summary.line("outbox.db")).isEqualTo("Rows sent: 1,500, rejected by the service: 3,"
                + " dead letters: 4, kept in the dead letters of outbox.db ('report --outbox outbox.db' lists them"
                + " per table).");
    }

    @Test
    void rejectedRowsWithoutDeadLettersAreNamedAsNotKept() {
        RelaySummary summary = new RelaySummary(100, 5, 2);
        assertThat(summary.rejectedNotKept()).isTrue();
        assertThat(summary.line("o.db")).contains("3 rejected row(s) are NOT kept anywhere");
    }

    @Test
    void nothingSetAsideMeansNoSummary() {
        assertThat(new RelaySummary(100, 0, 0).anythingSetAside()).isFalse();
    }
}
