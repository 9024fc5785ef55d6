package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpiperelay.micrometer.RelayMeterBinder;
import org.junit.jupiter.api.Test;

/** In this package, not the binder's, because building a runner on the fake service needs package access. */
class RelayMeterBinderTest extends RunnerTestSupport {

    @Test
    void publishesEachRunnersMetricsTaggedByChannel() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(fast().build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new RelayMeterBinder(runner).bindTo(registry);

        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(registry.get(RelayMeterBinder.COMMITTED_OFFSET).tag("channel", CH).gauge().value()).isEqualTo(100.0);
        assertThat(registry.get(RelayMeterBinder.DELETED_OFFSET).tag("channel", CH).gauge().value()).isEqualTo(100.0);
        assertThat(registry.get(RelayMeterBinder.ROWS_APPENDED).tag("channel", CH).functionCounter().count()).isEqualTo(100.0);
        assertThat(registry.get(RelayMeterBinder.UNCOMMITTED_ROWS).gauge().value()).isZero();
        assertThat(registry.get(RelayMeterBinder.FAILED).gauge().value()).isZero();
        assertThat(registry.getMeters()).hasSize(13);
    }
}
