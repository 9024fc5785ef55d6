package io.snowpiperelay.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.snowpiperelay.micrometer.RelayMeterBinder;
import io.snowpiperelay.postgres.FleetMeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer: the relay's meters as one {@link MeterBinder} bean, which Spring Boot's Actuator binds to the
 * application's {@code MeterRegistry}: core's {@link RelayMeterBinder} for the channels outside a fleet
 * ({@code snowpipe.relay.*}, tagged {@code channel}) and postgres-source's {@link FleetMeterBinder} for the fleet
 * member ({@code snowpipe.relay.fleet.*}, tagged {@code member}).
 */
@AutoConfiguration(after = SnowpipeRelayAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean(SnowpipeRelay.class)
public class SnowpipeRelayMetricsAutoConfiguration {

    /** Created by Spring. */
    public SnowpipeRelayMetricsAutoConfiguration() {
    }

    /** The relay's meters: one set per channel, and the fleet member's when there is one. */
    @Bean
    @ConditionalOnMissingBean(name = "snowpipeRelayMeterBinder")
    public MeterBinder snowpipeRelayMeterBinder(SnowpipeRelay relay) {
        return new RelayMeters(relay);
    }

    /** Binds whichever of the group and the fleet the relay has. */
    private record RelayMeters(SnowpipeRelay relay) implements MeterBinder {
        @Override
        public void bindTo(MeterRegistry registry) {
            relay.channelGroup().ifPresent(group -> new RelayMeterBinder(group).bindTo(registry));
            relay.fleet().ifPresent(fleet -> new FleetMeterBinder(fleet).bindTo(registry));
        }
    }
}
