package io.snowpiperelay.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FairShareTest {

    @Test
    void targetsAddUpToTheTotalAndDifferByAtMostOne() {
        List<String> members = List.of("a", "b", "c");
        int a = FairShare.target(8, members, "a");
        int b = FairShare.target(8, members, "b");
        int c = FairShare.target(8, members, "c");
        assertThat(List.of(a, b, c)).containsExactly(3, 3, 2);
        assertThat(a + b + c).isEqualTo(8);
    }

    @Test
    void aMemberNotYetListedCountsItself() {
        // "b" joins: it counts as the second of three, as the others will once its registration is visible.
        assertThat(FairShare.target(8, List.of("a", "c"), "b")).isEqualTo(3);
        assertThat(FairShare.target(8, List.of("a", "c"), "d")).isEqualTo(2);
    }

    @Test
    void moreMembersThanPartitionsLeavesSomeIdle() {
        List<String> members = List.of("a", "b", "c");
        assertThat(FairShare.target(2, members, "a")).isEqualTo(1);
        assertThat(FairShare.target(2, members, "b")).isEqualTo(1);
        assertThat(FairShare.target(2, members, "c")).isZero();
    }
}
