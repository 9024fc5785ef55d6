package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    @Test
    void faultsAreConsumedInOrderPerEndpoint() {
        FaultInjector faults = new FaultInjector();
        faults.add(Fault.status(503).times(2).on(Endpoint.APPEND), Fault.latency(Duration.ofMillis(5)).on(Endpoint.ANY));
        assertThat(faults.take(Endpoint.TELEMETRY).kind()).isEqualTo(Fault.Kind.LATENCY);
        assertThat(faults.take(Endpoint.TELEMETRY)).isNull();
        assertThat(faults.take(Endpoint.APPEND).httpStatus()).isEqualTo(503);
        assertThat(faults.pending()).hasSize(1);
        assertThat(faults.pending().get(0).times()).isEqualTo(1);
        assertThat(faults.take(Endpoint.APPEND).httpStatus()).isEqualTo(503);
        assertThat(faults.take(Endpoint.APPEND)).isNull();
        assertThat(faults.pending()).isEmpty();
    }

    @Test
    void clearDisarms() {
        FaultInjector faults = new FaultInjector();
        faults.add(Fault.dropConnection().times(3).on(Endpoint.OPEN_CHANNEL));
        faults.clear();
        assertThat(faults.take(Endpoint.OPEN_CHANNEL)).isNull();
    }
}
