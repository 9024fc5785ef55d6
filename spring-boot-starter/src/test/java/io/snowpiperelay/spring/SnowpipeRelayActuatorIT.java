package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application with Actuator over HTTP: the relay's health and meters are published, and
 * the private key shows in no log line and no Actuator response, even with values shown.
 */
@ExtendWith(OutputCaptureExtension.class)
class SnowpipeRelayActuatorIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** The application under test: nothing but auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Test
    void healthAndMetricsArePublishedAndTheKeyNeverShows(CapturedOutput output) throws Exception {
        try (SnowpipeEmulator emulator = RelayTestSupport.startEmulator()) {
            Path outboxFile = dir.resolve("shop.db");
            try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
                List<String> rows = new ArrayList<>();
                for (int id = 1; id <= 200; id++) {
                    rows.add("{\"id\":" + id + ",\"v\":\"t\"}");
                }
                outbox.appendAll("tickets", rows);
            }
            Map<String, Object> p = new LinkedHashMap<>(RelayTestSupport.profileProperties(emulator));
            p.putAll(RelayTestSupport.ticketChannel(0, "TICKET_1", outboxFile));
            // The variable private-key-env names, here as a property: it must be masked in /actuator/env too.
            p.put(RelayTestSupport.KEY_VARIABLE, emulator.privateKeyPem());
            p.put("server.port", "0");
            p.put("server.address", "127.0.0.1");
            p.put("management.endpoints.web.exposure.include", "health,env,configprops,metrics");
            p.put("management.endpoint.health.show-details", "always");
            p.put("management.endpoint.env.show-values", "always");
            p.put("management.endpoint.configprops.show-values", "always");

            String fragment = RelayTestSupport.keyFragment(emulator);
            List<String> bodies = new ArrayList<>();
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.SERVLET).properties(p).run()) {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> emulator.queryForLong("SELECT COUNT(*) FROM TICKET") == 200);

                String health = get(port, "/actuator/health/snowpipeRelay");
                assertThat(health).contains("\"status\":\"UP\"").contains("TICKET_1").contains("RUNNING");
                String metric = get(port, "/actuator/metrics/snowpipe.relay.rows.appended");
                assertThat(metric).contains("\"name\":\"snowpipe.relay.rows.appended\"").contains("\"channel\"")
                        .contains("TICKET_1");
                assertThat(get(port, "/actuator/metrics/snowpipe.relay.offset.committed?tag=channel:TICKET_1"))
                        .contains("\"value\":200.0");
                String env = get(port, "/actuator/env");
                assertThat(env).contains(RelayTestSupport.KEY_VARIABLE).contains("snowpipe.relay.profile.user");
                String configprops = get(port, "/actuator/configprops");
                assertThat(configprops).contains("privateKeyEnv");
                bodies.addAll(List.of(health, metric, env, configprops, get(port, "/actuator/health")));
            }
            for (String body : bodies) {
                assertThat(body).doesNotContain(fragment).doesNotContain("PRIVATE KEY-----");
            }
            assertThat(output.getAll()).contains("snowpipe relay - started 1 channel(s)")
                    .doesNotContain(fragment).doesNotContain("PRIVATE KEY-----");
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}
