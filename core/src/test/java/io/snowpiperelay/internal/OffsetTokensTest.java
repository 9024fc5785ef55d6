package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.RelayHaltedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OffsetTokensTest {

    @Test
    void tokensAreNumbers() {
        assertThat(OffsetTokens.parse("C", "9")).isLessThan(OffsetTokens.parse("C", "10"));
        assertThat(OffsetTokens.parse("C", "0")).isZero();
        assertThat(OffsetTokens.parse("C", "007")).isEqualTo(7);
        assertThat(OffsetTokens.parse("C", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(OffsetTokens.of(10)).isEqualTo("10");
    }

    @Test
    void noTokenMeansNothingCommitted() {
        assertThat(OffsetTokens.parse("C", null)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "+1", "1.0", " 1", "1e3", "9223372036854775808", "99999999999999999999"})
    void anythingElseIsFatalAndNamed(String token) {
        assertThatThrownBy(() -> OffsetTokens.parse("LIFT_RIDE_1", token))
                .isInstanceOfSatisfying(RelayHaltedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.INVALID_OFFSET_TOKEN);
                    assertThat(e.channel()).isEqualTo("LIFT_RIDE_1");
                    assertThat(e.token()).contains(token);
                })
                .hasMessageContaining("LIFT_RIDE_1").hasMessageContaining("'" + token + "'");
    }
}
