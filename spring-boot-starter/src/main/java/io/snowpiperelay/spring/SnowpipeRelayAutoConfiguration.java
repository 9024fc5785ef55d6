package io.snowpiperelay.spring;

import io.snowpiperelay.spi.RelayListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the relay from {@code snowpipe.relay.*}: one {@link SnowpipeRelay} bean holding every
 * configured channel, started and stopped with the context. A unique {@link RelayListener} bean of the
 * application, if any, observes every channel. Off with {@code snowpipe.relay.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = SnowpipeRelayProperties.PREFIX, name = "enabled", havingValue = "true",
        matchIfMissing = true)
@EnableConfigurationProperties(SnowpipeRelayProperties.class)
public class SnowpipeRelayAutoConfiguration {
    /** The relay's bean name. */
    public static final String RELAY_BEAN_NAME = "snowpipeRelay";

    /** Created by Spring. */
    public SnowpipeRelayAutoConfiguration() {
    }

    /**
     * The relay, built (sources opened, properties checked) but not started.
     *
     * @throws RelayConfigurationException naming the property to fix
     */
    @Bean(name = RELAY_BEAN_NAME)
    @ConditionalOnMissingBean
    public SnowpipeRelay snowpipeRelay(SnowpipeRelayProperties properties, Environment environment,
                                       ConfigurableListableBeanFactory beanFactory,
                                       ObjectProvider<RelayListener> listener) {
        return new SnowpipeRelayFactory(properties, environment, beanFactory, RELAY_BEAN_NAME,
                listener.getIfUnique()).create();
    }
}
