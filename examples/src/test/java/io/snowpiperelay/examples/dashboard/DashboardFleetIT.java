package io.snowpiperelay.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.postgres.FleetLeases;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.postgres.PostgresServerExtension;
import io.snowpiperelay.postgres.internal.LeaseStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's Fleet table over a PostgreSQL outbox: absent while the outbox has no fleet leases, then the owner,
 * epoch and expiry of every partition in {@code /api/relay}'s {@code fleet}, and on the page (in a real headless
 * Chromium, skipped when it is not installed).
 */
class DashboardFleetIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private static final String STREAM = "LIFT_RIDE";

    private static final Pattern DASHBOARD_URL = Pattern.compile("Ski-resort dashboard: (http://127\\.0\\.0\\.1:\\d+/)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService commands = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stopCommands() {
        commands.shutdownNow();
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode get(DashboardServer server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Three partitions: two held by members a and b for minutes, one left behind expired by a dead member. */
    private static void leasesOfThreeMembers(PostgresOutboxConfig config) throws Exception {
        LeaseStore store = new LeaseStore(config);
        try (Connection connection = POSTGRES.superuser().getConnection()) {
            store.createTables(connection);
            store.registerPartitions(connection, STREAM, 3);
            store.claim(connection, "member-a", List.of(STREAM), 1, Duration.ofMinutes(5));
            store.claim(connection, "member-b", List.of(STREAM), 1, Duration.ofMinutes(5));
            store.claim(connection, "member-dead", List.of(STREAM), 1, Duration.ZERO);
        }
    }

    private static DashboardServer dashboard(FleetTable fleet) {
        return DashboardServer.start(null, "no relay here", ReportCache.unavailable("no store here"), fleet,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 0);
    }

    @Test
    void api_relay_carries_the_owner_of_every_partition_once_a_fleet_holds_leases() throws Exception {
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        PostgresOutbox outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
        FleetTable fleet = FleetTable.start(FleetLeases.of(outbox));
        try (DashboardServer server = dashboard(fleet)) {
            fleet.refresh();
            assertThat(get(server, "api/relay").has("fleet")).as("no lease table yet: no fleet key").isFalse();

            leasesOfThreeMembers(config);
            fleet.refresh();
            JsonNode partitions = get(server, "api/relay").path("fleet").path("partitions");

            assertThat(partitions).hasSize(3);
            Map<String, String> stateByOwner = new TreeMap<>();
            List<Integer> partitionNumbers = new ArrayList<>();
            for (JsonNode p : partitions) {
                assertThat(p.path("stream").asText()).isEqualTo(STREAM);
                assertThat(p.path("epoch").asLong()).isEqualTo(1);
                partitionNumbers.add(p.path("partition").asInt());
                stateByOwner.put(p.path("owner").asText(), p.path("state").asText());
                if (p.path("state").asText().equals("owned")) {
                    assertThat(p.path("expiresInSeconds").asLong()).isBetween(1L, 300L);
                } else {
                    assertThat(p.path("expiresInSeconds").isNull()).isTrue();
                }
            }
            assertThat(partitionNumbers).containsExactly(0, 1, 2);
            assertThat(stateByOwner).containsExactlyEntriesOf(
                    new TreeMap<>(Map.of("member-a", "owned", "member-b", "owned", "member-dead", "expired")));
        }
    }

    @Test
    void the_page_shows_the_fleet_table_in_headless_chromium() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "Debian's chromium is not installed (" + HeadlessChromium.EXECUTABLE
                + "): skipping the dashboard browser test; install it with: apt-get install -y chromium");
        PostgresOutboxConfig config = PostgresServerExtension.newConfig();
        PostgresOutbox outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
        leasesOfThreeMembers(config);
        try (DashboardServer server = dashboard(FleetTable.start(FleetLeases.of(outbox)));
             HeadlessChromium browser = new HeadlessChromium(server.url(), 1200, 900,
                     Path.of("target", "chromium-fleet.log"))) {
            JsonNode rows = await("the page to show the fleet table").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions() // the page may still be loading
                    .until(() -> browser.evaluate("""
                            (() => {
                              if (document.getElementById('card-fleet').hidden) return [];
                              return [...document.querySelectorAll('#fleet tbody tr')].map(tr => ({
                                owner: tr.querySelector('td.owner').textContent,
                                expiry: tr.querySelector('td.expiry').textContent,
                                state: tr.dataset.state }));
                            })()"""), shown -> shown.size() == 3);
            Map<String, String> expiryByOwner = new TreeMap<>();
            rows.forEach(row -> expiryByOwner.put(row.path("owner").asText(), row.path("expiry").asText()));
            assertThat(expiryByOwner).containsOnlyKeys("member-a", "member-b", "member-dead");
            assertThat(expiryByOwner.get("member-a")).matches("\\d+ s");
            assertThat(expiryByOwner.get("member-dead")).isEqualTo("expired");
        }
    }

    @Test
    void the_dashboard_command_on_a_postgres_outbox_shows_the_fleet_of_relay_fleet() throws Exception {
        // The command opens the outbox with the default table prefix, as 'relay --fleet' uses by default.
        PostgresOutboxConfig defaults = PostgresOutboxConfig.defaults();
        PostgresOutbox.open(POSTGRES.superuser(), defaults);
        leasesOfThreeMembers(defaults);
        Path store = Files.createFile(dir.resolve("empty-store.db"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Future<Integer> dashboard = commands.submit(() -> {
            picocli.CommandLine commandLine = SkiResort.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            return commandLine.execute("dashboard", "--store", store.toString(), "--outbox", POSTGRES.jdbcUrl(),
                    "--outbox-user", PostgresServerExtension.SUPERUSER, "--port", "0", "--dashboard-linger", "5m");
        });
        try {
            String url = await("the dashboard URL").atMost(Duration.ofSeconds(30))
                    .until(() -> find(out.toString()), found -> found != null || dashboard.isDone());
            assertThat(url).as("stdout:%n%s%nstderr:%n%s", out, err).isNotNull();
            JsonNode partitions = await("the fleet in /api/relay").atMost(Duration.ofSeconds(30))
                    .until(() -> get(url + "api/relay").path("fleet").path("partitions"), p -> p.size() == 3);
            Map<String, String> stateByOwner = new TreeMap<>();
            partitions.forEach(p -> stateByOwner.put(p.path("owner").asText(), p.path("state").asText()));
            assertThat(stateByOwner).containsExactlyEntriesOf(
                    new TreeMap<>(Map.of("member-a", "owned", "member-b", "owned", "member-dead", "expired")));
        } finally {
            dashboard.cancel(true);
            await("the dashboard command to stop").atMost(Duration.ofSeconds(30)).until(dashboard::isDone);
        }
    }

    private static String find(String text) {
        Matcher matcher = DASHBOARD_URL.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }
}
