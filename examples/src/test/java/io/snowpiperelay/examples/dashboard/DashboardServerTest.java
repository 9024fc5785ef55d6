package io.snowpiperelay.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server without a relay or a store: what the page is told, and a port already taken. */
class DashboardServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode get(DashboardServer server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void without_a_relay_or_a_store_the_endpoints_say_why() throws Exception {
        try (DashboardServer server = DashboardServer.start(null, "no relay here",
                ReportCache.unavailable("no store here"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 0)) {
            assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/");

            JsonNode relay = get(server, "api/relay");
            assertThat(relay.path("live").asBoolean()).isFalse();
            assertThat(relay.path("note").asText()).isEqualTo("no relay here");

            JsonNode report = get(server, "api/report");
            assertThat(report.path("available").asBoolean()).isFalse();
            assertThat(report.path("note").asText()).isEqualTo("no store here");
            assertThat(report.path("sections").isEmpty()).isTrue();
        }
    }

    @Test
    void a_port_already_taken_is_refused_with_what_to_do() {
        try (DashboardServer first = DashboardServer.start(null, null, ReportCache.unavailable("-"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 0)) {
            assertThatThrownBy(() -> DashboardServer.start(null, null, ReportCache.unavailable("-"),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), first.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port())
                    .hasMessageContaining("0 for any free one");
        }
    }

    @Test
    void a_port_out_of_range_is_refused() {
        assertThatThrownBy(() -> DashboardServer.start(null, null, ReportCache.unavailable("-"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 65_536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port is 65536; allowed: 0 (any free port) to 65535");
    }
}
