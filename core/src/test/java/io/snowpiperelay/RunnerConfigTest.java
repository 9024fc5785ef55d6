package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RunnerConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        RunnerConfig c = RunnerConfig.defaults();
        assertThat(c.maxBatchRows()).isEqualTo(RunnerConfig.DEFAULT_MAX_BATCH_ROWS);
        assertThat(c.maxAppendRows()).isEqualTo(RunnerConfig.DEFAULT_MAX_APPEND_ROWS);
        assertThat(c.maxAppendBytes()).isEqualTo(RunnerConfig.DEFAULT_MAX_APPEND_BYTES);
        assertThat(c.maxRowBytes()).isEqualTo(RunnerConfig.DEFAULT_MAX_ROW_BYTES);
        assertThat(c.maxUncommittedRows()).isEqualTo(RunnerConfig.DEFAULT_MAX_UNCOMMITTED_ROWS);
        assertThat(c.maxUncommittedBytes()).isEqualTo(RunnerConfig.DEFAULT_MAX_UNCOMMITTED_BYTES);
        assertThat(c.commitPollInterval()).isEqualTo(RunnerConfig.DEFAULT_COMMIT_POLL_INTERVAL);
        assertThat(c.closeTimeout()).isEqualTo(RunnerConfig.DEFAULT_CLOSE_TIMEOUT);
        assertThat(c.rowErrorPolicy()).isEqualTo(RowErrorPolicy.DEAD_LETTER);
        assertThat(c.maxAppendBytes()).isLessThan(1024 * 1024);
    }

    @Test
    void toBuilderRoundTrips() {
        RunnerConfig c = RunnerConfig.builder().maxBatchRows(7).closeTimeout(Duration.ofSeconds(3)).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().build().maxBatchRows()).isEqualTo(7);
    }

    private static void rejects(UnaryOperator<RunnerConfig.Builder> change, String expectedMessage) {
        assertThatThrownBy(() -> change.apply(RunnerConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expectedMessage);
    }

    @Test
    void badValuesNameFieldValueAndRange() {
        rejects(b -> b.maxBatchRows(0), "maxBatchRows = 0 is out of range [1, 100000]");
        rejects(b -> b.maxAppendRows(-1), "maxAppendRows = -1 is out of range [1, 100000]");
        rejects(b -> b.maxAppendBytes(2_000_000), "maxAppendBytes = 2000000 is out of range [1024, 1000000]");
        rejects(b -> b.maxRowBytes(1), "maxRowBytes = 1 is out of range [16, 16777216]");
        rejects(b -> b.maxUncommittedRows(0), "maxUncommittedRows = 0 is out of range [1, 1000000000]");
        rejects(b -> b.maxUncommittedBytes(10), "maxUncommittedBytes = 10 is out of range [1024, 17179869184]");
        rejects(b -> b.commitPollInterval(Duration.ZERO), "commitPollInterval = PT0S is out of range [PT0.001S, PT1M]");
        rejects(b -> b.commitPollInterval(null), "commitPollInterval = null is out of range [PT0.001S, PT1M]");
        rejects(b -> b.idleBackoffInitial(Duration.ofSeconds(1)), "idleBackoffInitial = PT1S is out of range [PT0.001S, PT0.5S]");
        rejects(b -> b.reopenBackoffMax(Duration.ofHours(1)), "reopenBackoffMax = PT1H is out of range [PT0.001S, PT10M]");
        rejects(b -> b.maxReopenAttempts(0), "maxReopenAttempts = 0 is out of range [1, 1000]");
        rejects(b -> b.fencingReopenLimit(101), "fencingReopenLimit = 101 is out of range [1, 100]");
        rejects(b -> b.fencingWindow(Duration.ofMillis(-1)), "fencingWindow = PT-0.001S is out of range [PT0.001S, PT10M]");
        rejects(b -> b.backpressureTimeout(Duration.ofDays(2)), "backpressureTimeout = PT48H is out of range [PT0.001S, PT24H]");
        rejects(b -> b.sourceRetryAttempts(0), "sourceRetryAttempts = 0 is out of range [1, 1000]");
        rejects(b -> b.closeTimeout(Duration.ofHours(2)), "closeTimeout = PT2H is out of range [PT0S, PT1H]");
        rejects(b -> b.rowErrorPolicy(null), "rowErrorPolicy = null is not allowed; use one of [DEAD_LETTER, STOP]");
    }

    @Test
    void runnerBuilderValidatesItsParts() {
        assertThatThrownBy(() -> ExactlyOnceChannelRunner.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channelName");
        assertThatThrownBy(() -> ExactlyOnceChannelRunner.builder().channelName("C").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> ExactlyOnceChannelRunner.builder().channelName("C")
                .source(new InMemorySourceWithRawBatch()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }
}
