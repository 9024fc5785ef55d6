package io.snowpiperelay.spring;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Actuator: the relay's health indicator ({@code snowpipeRelay}; off with
 * {@code management.health.snowpipe-relay.enabled=false}) and a sanitizing function that masks the relay's
 * secret-looking properties in {@code /actuator/env} and {@code /actuator/configprops}, even where values are
 * shown.
 */
@AutoConfiguration(after = SnowpipeRelayAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnBean(SnowpipeRelay.class)
public class SnowpipeRelayHealthAutoConfiguration {

    /** Created by Spring. */
    public SnowpipeRelayHealthAutoConfiguration() {
    }

    /** The relay's health. */
    @Bean
    @ConditionalOnMissingBean(name = "snowpipeRelayHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("snowpipe-relay")
    public SnowpipeRelayHealthIndicator snowpipeRelayHealthIndicator(SnowpipeRelay relay) {
        return new SnowpipeRelayHealthIndicator(relay);
    }

    /** Masks the relay's secrets in Actuator's env and configprops endpoints. */
    @Bean
    public SanitizingFunction snowpipeRelaySanitizingFunction(SnowpipeRelayProperties properties) {
        return new RelaySecretsSanitizer(properties.getProfile().getPrivateKeyEnv());
    }
}
