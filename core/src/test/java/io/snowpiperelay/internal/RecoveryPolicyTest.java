package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.ChannelFencedException;
import io.snowpiperelay.RelayException;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.internal.PortException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoveryPolicyTest {
    private static final PortException INVALID = new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError",
            "Inner Error: HTTP 400, error_code=ERR_CHANNEL_MUST_BE_REOPENED");
    private static final PortException RESTARTED = new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError",
            "Inner Error: HTTP 400, error_code=ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP");
    private static final PortException STALE = new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError",
            "Inner Error: HTTP 400, error_code=STALE_CONTINUATION_TOKEN_SEQUENCER, message=stale");

    private static RecoveryPolicy policy(int limit, Duration window) {
        return new RecoveryPolicy("CH", "DB.S.P", RunnerConfig.builder().fencingReopenLimit(limit)
                .fencingWindow(window).build());
    }

    @Test
    void theStaleSequencerCodeIsFencedAtTheFirstAnswer() {
        RecoveryPolicy p = policy(3, Duration.ofMillis(1));
        // Even long after the open, and the first time: no reopen.
        assertThatThrownBy(() -> p.checkRecoverable(STALE)).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("another writer took channel CH").hasMessageContaining("Run one writer per channel")
                .hasCause(STALE);
    }

    @Test
    void aRestartOrAPlainInvalidationIsReopened() {
        RecoveryPolicy p = policy(3, Duration.ofMinutes(1));
        p.opened();
        assertThatCode(() -> p.checkRecoverable(RESTARTED)).doesNotThrowAnyException();
        p.opened();
        assertThatCode(() -> p.checkRecoverable(INVALID)).doesNotThrowAnyException();
    }

    @Test
    void withoutTheCodeKQuickInvalidationsInARowMeanFenced() {
        RecoveryPolicy p = policy(3, Duration.ofMinutes(1));
        p.opened();
        p.checkRecoverable(INVALID);
        p.opened();
        p.checkRecoverable(INVALID);
        p.opened();
        assertThatThrownBy(() -> p.checkRecoverable(INVALID)).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("invalidated 3 time(s) in a row");
    }

    @Test
    void anInvalidationOutsideTheWindowStartsTheCountAgain() {
        RecoveryPolicy p = policy(2, Duration.ofMillis(1));
        for (int i = 0; i < 5; i++) {
            p.opened();
            long windowOver = System.nanoTime() + Duration.ofMillis(2).toNanos();
            while (System.nanoTime() - windowOver < 0) {
                Thread.onSpinWait(); // 2 ms, no sleep: each invalidation comes after the window
            }
            assertThatCode(() -> p.checkRecoverable(INVALID)).doesNotThrowAnyException();
        }
    }

    @Test
    void authMissingObjectsAndConfigurationAreFatalAtOnce() {
        RecoveryPolicy p = policy(3, Duration.ofMinutes(1));
        assertThatThrownBy(() -> p.checkRecoverable(new PortException(Kind.AUTH, "SfApiAuthError", "401")))
                .isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION))
                .hasMessageContaining("DB.S.P");
        assertThatThrownBy(() -> p.checkRecoverable(new PortException(Kind.NOT_FOUND, "SfApiUserError", "404")))
                .isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OBJECT_NOT_FOUND));
        assertThatThrownBy(() -> p.checkRecoverable(new PortException(Kind.CONFIG, "ConfigError", "bad url")))
                .isInstanceOf(RelayException.class).hasMessageContaining("configuration");
    }
}
