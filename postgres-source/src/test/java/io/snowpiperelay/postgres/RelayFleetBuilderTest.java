package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RelayFleetBuilderTest {

    @Test
    void aHeartbeatThatCannotRenewThreeTimesBeforeTheMarginIsRefused() {
        assertThatThrownBy(() -> RelayFleet.builder().leaseDuration(Duration.ofSeconds(10))
                .heartbeatInterval(Duration.ofSeconds(2)).renewMargin(Duration.ofSeconds(4)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeatInterval PT2S * 3 is not below leaseDuration PT10S - renewMargin PT4S");
    }

    @Test
    void theDefaultsKeepTheSafetyRule() {
        // Passes the timing check and stops at the first missing part.
        assertThatThrownBy(() -> RelayFleet.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("outbox = <missing>");
    }

    @Test
    void aZeroMarginIsRefused() {
        assertThatThrownBy(() -> RelayFleet.builder().renewMargin(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renewMargin is PT0S");
    }

    @Test
    void aPartitionCountOutOfRangeIsRefused() {
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().partitions("LIFT_RIDE", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions of stream LIFT_RIDE is 0; allowed: 1 to 1024");
    }
}
