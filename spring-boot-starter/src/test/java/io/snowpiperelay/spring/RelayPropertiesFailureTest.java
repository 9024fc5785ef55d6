package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.RunnerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/** A missing or wrong property fails the start with an error that names it; no emulator needed. */
class RelayPropertiesFailureTest {
    /** A real key: the profile parses its key when it is loaded (a damaged one is refused, naming the line). */
    private static final String FAKE_KEY = newPrivateKeyPem();

    private static String newPrivateKeyPem() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SnowpipeRelayAutoConfiguration.class,
                    SnowpipeRelayHealthAutoConfiguration.class, SnowpipeRelayMetricsAutoConfiguration.class))
            .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource("env", Map.of("FAKE_KEY_VAR", FAKE_KEY))))
            // Never started: these contexts fail while building the relay, or are checked without starting it.
            .withPropertyValues("snowpipe.relay.auto-startup=false");

    private Map<String, String> valid() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("snowpipe.relay.profile.user", "RELAY");
        p.put("snowpipe.relay.profile.account", "ACME");
        p.put("snowpipe.relay.profile.url", "http://127.0.0.1:9");
        p.put("snowpipe.relay.profile.private-key-env", "FAKE_KEY_VAR");
        p.putAll(RelayTestSupport.ticketChannel(0, "TICKET_1", dir.resolve("outbox.db")));
        return p;
    }

    private void assertFailsNaming(Map<String, String> properties, String property) {
        runner.withPropertyValues(RelayTestSupport.asPairs(properties)).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            FailureAnalysis analysis = new RelayConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis).as("analysis of %s", failure).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: " + property);
            assertThat(analysis.getAction()).startsWith("Fix " + property);
            assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("TUlJRXZnSUJBREFOQmdrcWhr");
        });
    }

    @Test
    void validPropertiesBuildTheRelayWithTheRunnerDefaults() {
        runner.withPropertyValues(RelayTestSupport.asPairs(valid())).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SnowpipeRelay.class)
                    .hasSingleBean(SnowpipeRelayHealthIndicator.class);
            SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
            assertThat(relay.isRunning()).isFalse();
            assertThat(context.getBean(SnowpipeRelayHealthIndicator.class).health().getStatus())
                    .isEqualTo(org.springframework.boot.actuate.health.Status.UNKNOWN);
            assertThat(relay.group().runners()).singleElement().satisfies(r -> {
                assertThat(r.channelName()).isEqualTo("TICKET_1");
                assertThat(r.config()).isEqualTo(RunnerConfig.defaults());
            });
        });
    }

    @Test
    void runnerKnobsReachTheRunnerConfig() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.runner.max-batch-rows", "123");
        p.put("snowpipe.relay.runner.close-timeout", "7s");
        p.put("snowpipe.relay.runner.row-error-policy", "stop");
        runner.withPropertyValues(RelayTestSupport.asPairs(p)).run(context -> {
            RunnerConfig config = context.getBean(SnowpipeRelay.class).group().runners().get(0).config();
            assertThat(config.maxBatchRows()).isEqualTo(123);
            assertThat(config.closeTimeout()).hasSeconds(7);
            assertThat(config.rowErrorPolicy()).isEqualTo(io.snowpiperelay.RowErrorPolicy.STOP);
        });
    }

    @Test
    void disabledRelayConfiguresNothing() {
        runner.withPropertyValues("snowpipe.relay.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(SnowpipeRelay.class));
    }

    @Test
    void missingProfileNamesTheUser() {
        Map<String, String> p = valid();
        p.remove("snowpipe.relay.profile.user");
        assertFailsNaming(p, "snowpipe.relay.profile.user");
    }

    @Test
    void unsetKeyVariableNamesPrivateKeyEnvAndTheVariableButNoKey() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.profile.private-key-env", "NO_SUCH_VARIABLE_FOR_RELAY");
        assertFailsNaming(p, "snowpipe.relay.profile.private-key-env");
        runner.withPropertyValues(RelayTestSupport.asPairs(p)).run(context ->
                assertThat(context.getStartupFailure()).hasStackTraceContaining("NO_SUCH_VARIABLE_FOR_RELAY"));
    }

    @Test
    void missingKeyNamesPrivateKeyEnv() {
        Map<String, String> p = valid();
        p.remove("snowpipe.relay.profile.private-key-env");
        assertFailsNaming(p, "snowpipe.relay.profile.private-key-env");
    }

    @Test
    void unreadableProfileFileNamesPath() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.profile.path", dir.resolve("missing-profile.json").toString());
        assertFailsNaming(p, "snowpipe.relay.profile.path");
    }

    @Test
    void noChannelNamesChannels() {
        Map<String, String> p = valid();
        p.keySet().removeIf(k -> k.startsWith("snowpipe.relay.channels"));
        assertFailsNaming(p, "snowpipe.relay.channels");
    }

    @Test
    void missingSourceNamesIt() {
        Map<String, String> p = valid();
        p.remove("snowpipe.relay.channels[0].source");
        assertFailsNaming(p, "snowpipe.relay.channels[0].source");
    }

    @Test
    void missingOutboxPathNamesIt() {
        Map<String, String> p = valid();
        p.remove("snowpipe.relay.channels[0].sqlite.path");
        assertFailsNaming(p, "snowpipe.relay.channels[0].sqlite.path");
    }

    @Test
    void badStreamNameNamesIt() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].sqlite.stream", "1-bad");
        assertFailsNaming(p, "snowpipe.relay.channels[0].sqlite.stream");
    }

    @Test
    void malformedTableNamesIt() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].table", "SHOP.TICKET");
        assertFailsNaming(p, "snowpipe.relay.channels[0].table");
    }

    @Test
    void pipeAndTableTogetherAreRefused() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].pipe", "SHOP.PUBLIC.TICKET-STREAMING");
        assertFailsNaming(p, "snowpipe.relay.channels[0].table");
    }

    @Test
    void duplicateChannelNameNamesTheSecond() {
        Map<String, String> p = valid();
        p.putAll(RelayTestSupport.ticketChannel(1, "TICKET_1", dir.resolve("other.db")));
        assertFailsNaming(p, "snowpipe.relay.channels[1].name");
    }

    @Test
    void postgresWithoutStreamNamesIt() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].source", "postgres");
        assertFailsNaming(p, "snowpipe.relay.channels[0].postgres.stream");
    }

    @Test
    void postgresWithoutDataSourceNamesDataSource() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].source", "postgres");
        p.put("snowpipe.relay.channels[0].postgres.stream", "orders");
        assertFailsNaming(p, "snowpipe.relay.channels[0].postgres.data-source");
        p.put("snowpipe.relay.channels[0].postgres.data-source", "noSuchDataSource");
        assertFailsNaming(p, "snowpipe.relay.channels[0].postgres.data-source");
    }

    @Test
    void partitionsWithoutAFleetNamePartitions() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].source", "postgres");
        p.put("snowpipe.relay.channels[0].postgres.stream", "orders");
        p.put("snowpipe.relay.channels[0].postgres.partitions", "4");
        assertFailsNaming(p, "snowpipe.relay.channels[0].postgres.partitions");
    }

    @Test
    void fleetWithoutAPostgresChannelNamesFleetEnabled() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.fleet.enabled", "true");
        assertFailsNaming(p, "snowpipe.relay.fleet.enabled");
    }

    @Test
    void unknownSourceBeanNamesBean() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.channels[0].source", "bean");
        p.put("snowpipe.relay.channels[0].bean", "noSuchSource");
        assertFailsNaming(p, "snowpipe.relay.channels[0].bean");
    }

    @Test
    void outOfRangeKnobNamesTheRunnerProperty() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.runner.max-batch-rows", "0");
        assertFailsNaming(p, "snowpipe.relay.runner.max-batch-rows");
    }

    @Test
    void unparsableKnobIsReportedBySpringBootWithItsName() {
        Map<String, String> p = valid();
        p.put("snowpipe.relay.runner.close-timeout", "soon");
        runner.withPropertyValues(RelayTestSupport.asPairs(p)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("snowpipe.relay.runner.close-timeout");
        });
    }

    @Test
    void failedStartClosesTheOutboxItOpened() {
        Map<String, String> p = valid();
        p.putAll(RelayTestSupport.ticketChannel(1, "TICKET_2", dir.resolve("outbox.db")));
        p.put("snowpipe.relay.channels[1].sqlite.stream", "1-bad");
        assertFailsNaming(p, "snowpipe.relay.channels[1].sqlite.stream");
        // The stream's relay lock was released: a relay can take it now.
        Map<String, String> ok = valid();
        runner.withPropertyValues(RelayTestSupport.asPairs(ok)).run(context -> assertThat(context).hasNotFailed());
    }
}
