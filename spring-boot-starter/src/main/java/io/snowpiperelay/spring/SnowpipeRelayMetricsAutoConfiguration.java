package io.snowpiperelay.spring;

import io.snowpiperelay.micrometer.RelayMeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer: core's {@link RelayMeterBinder} as a bean, which Spring Boot's Actuator binds to the
 * application's {@code MeterRegistry} ({@code snowpipe.relay.*} meters, tagged {@code channel}).
 */
@AutoConfiguration(after = SnowpipeRelayAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean(SnowpipeRelay.class)
public class SnowpipeRelayMetricsAutoConfiguration {

    /** Created by Spring. */
    public SnowpipeRelayMetricsAutoConfiguration() {
    }

    /** The relay's meters, one set per channel. */
    @Bean
    @ConditionalOnMissingBean
    public RelayMeterBinder snowpipeRelayMeterBinder(SnowpipeRelay relay) {
        return new RelayMeterBinder(relay.group());
    }
}
