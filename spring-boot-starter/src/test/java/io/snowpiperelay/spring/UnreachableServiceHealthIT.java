package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A channel that cannot reach the service shows {@code RunnerMetrics.serviceUnreachable()} in the health while it
 * lasts; the status stays UP (the relay retries, the outbox keeps the rows).
 */
class UnreachableServiceHealthIT {

    @TempDir
    Path dir;

    @Test
    void healthNamesTheUnreachableServiceAndStaysUp() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        try (SnowpipeEmulator emulator = RelayTestSupport.startEmulator()) {
            Map<String, String> p = new LinkedHashMap<>(RelayTestSupport.profileProperties(emulator));
            p.put("snowpipe.relay.profile.url", url);
            p.put("snowpipe.relay.runner.close-timeout", "1s");
            p.putAll(RelayTestSupport.ticketChannel(0, "TICKET_1", dir.resolve("shop.db")));
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(SnowpipeRelayAutoConfiguration.class,
                            SnowpipeRelayHealthAutoConfiguration.class))
                    .withInitializer(ctx -> RelayTestSupport.putKey(ctx, emulator))
                    .withPropertyValues(RelayTestSupport.asPairs(p))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SnowpipeRelayHealthIndicator indicator = context.getBean(SnowpipeRelayHealthIndicator.class);
                        await().atMost(Duration.ofSeconds(30)).until(() ->
                                indicator.health().getDetails().containsKey("unreachable"));
                        Health health = indicator.health();
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails().get("unreachable")).isEqualTo(List.of("TICKET_1"));
                        Map<?, ?> channel = (Map<?, ?>) ((Map<?, ?>) health.getDetails().get("channels"))
                                .get("TICKET_1");
                        assertThat((String) channel.get("unreachable"))
                                .startsWith("cannot reach the service at " + url + " since ")
                                .contains("connection refused");
                        assertThat(health.toString()).doesNotContain(RelayTestSupport.keyFragment(emulator));
                    });
        }
    }
}
