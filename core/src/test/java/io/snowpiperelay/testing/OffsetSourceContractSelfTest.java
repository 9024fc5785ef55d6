package io.snowpiperelay.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The contract test can fail: run against sources that break one rule each ({@link BrokenOffsetSources}), the
 * test for that rule fails.
 */
class OffsetSourceContractSelfTest {

    private static Events run(Class<?> contract, String method) {
        return EngineTestKit.engine("junit-jupiter").configurationParameter(BrokenOffsetSources.RUN_BY_SELF_TEST, "true")
                .selectors(selectMethod(contract, method)).execute().testEvents();
    }

    @Test
    void aSourceThatKeepsTheContractPassesEveryTest() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(GappedInMemorySourceContractTest.class)).execute()
                .testEvents().assertStatistics(s -> s.failed(0).aborted(0).succeeded(9));
    }

    @Test
    void aRecordThatBecomesVisibleBelowAnOffsetAlreadyReturnedFailsTheVisibilityTest() {
        run(BrokenOffsetSources.LateVisibility.class, "aRecordAppendedAfterAReadNeverAppearsBelowTheHighestOffsetReturned")
                .assertStatistics(s -> s.failed(1));
    }

    @Test
    void offsetsReusedAfterADeleteFailTheirTest() {
        run(BrokenOffsetSources.ReusedOffsets.class, "offsetsAreNeverReusedAfterADelete").assertStatistics(s -> s.failed(1));
    }

    @Test
    void aHighestIssuedOffsetThatDropsAfterADeleteFailsTheRegressionTest() {
        run(BrokenOffsetSources.ReusedOffsets.class, "highestIssuedOffsetIsNeverBelowAnOffsetEverReturnedAndNeverGoesDown")
                .assertStatistics(s -> s.failed(1));
    }

    @Test
    void aDeleteThatRemovesMoreThanAskedFailsTheDeleteTest() {
        run(BrokenOffsetSources.GreedyDelete.class, "deleteRemovesExactlyTheRecordsUpToTheOffsetAndIsIdempotent")
                .assertStatistics(s -> s.failed(1));
    }
}
