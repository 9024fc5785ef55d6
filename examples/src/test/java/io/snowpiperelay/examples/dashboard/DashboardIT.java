package io.snowpiperelay.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.report.ReportQueries;
import io.snowpiperelay.micrometer.RelayMeterBinder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code demo --dashboard} in short form on the embedded emulator, port 0: the JSON endpoints and
 * {@code /metrics} against the emulator's store, the page in a real headless Chromium (skipped when Debian's
 * chromium is not installed), and the {@code dashboard --store} command over the store the demo left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class DashboardIT {

    private static final Pattern DASHBOARD_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/) \\(live dashboard\\)");
    private static final Pattern STANDALONE_URL = Pattern.compile("Ski-resort dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
    /** Where the screenshot goes, for people to look at (docs/images/dashboard.png is a copy). */
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService commands = Executors.newCachedThreadPool();
    // StringWriter is backed by a StringBuffer: the test thread reads what the command thread writes.
    private final StringWriter demoOut = new StringWriter();
    private final StringWriter demoErr = new StringWriter();
    private Path dir;
    private Path store;
    private Future<Integer> demo;
    private String url;

    @BeforeAll
    void startTheDemoWithTheDashboard() throws Exception {
        dir = Files.createTempDirectory("dashboard-it-");
        store = dir.resolve("store.db");
        demo = run(demoOut, demoErr, "demo", "--rows", "6000", "--rate", "3000", "--seed", "11",
                "--store", store.toString(), "--outbox", dir.resolve("outbox.db").toString(), "--commit-lag", "100ms",
                "--plain", "--timeout", "3m", "--dashboard", "--dashboard-port", "0", "--dashboard-linger", "10m");
        url = await("the dashboard URL").atMost(Duration.ofMinutes(1))
                .until(() -> find(DASHBOARD_URL, demoOut.toString()), found -> found != null || demo.isDone());
        assertThat(url).as("stdout:%n%s%nstderr:%n%s", demoOut, demoErr).isNotNull();
        await("the demo's end").atMost(Duration.ofMinutes(3))
                .until(() -> demoOut.toString().contains("The dashboard stays at") || demo.isDone());
        assertThat(demoOut.toString()).as("stdout:%n%s%nstderr:%n%s", demoOut, demoErr)
                .contains("OK: every count matches", "The dashboard stays at " + url);
    }

    @AfterAll
    void stopTheDemo() throws Exception {
        try {
            if (demo != null) {
                demo.cancel(true); // the lingering demo ends on an interrupt and closes everything
                await("the demo to stop").atMost(Duration.ofMinutes(1)).until(demo::isDone);
            }
        } finally {
            commands.shutdownNow();
        }
    }

    @Test
    void api_relay_shows_every_row_generated_committed_and_out_of_the_outbox() throws Exception {
        Map<SkiTable, Long> landed = storeCounts();
        JsonNode relay = await().atMost(Duration.ofSeconds(30))
                .until(() -> getJson("api/relay"), body -> "done".equals(body.path("phase").asText())
                        && committedPerTable(body).equals(landed));
        assertThat(relay.path("live").asBoolean()).isTrue();
        assertThat(relay.path("targetRows").asLong()).isEqualTo(6000);
        for (JsonNode table : relay.path("tables")) {
            long rows = landed.get(SkiTable.valueOf(table.path("table").asText()));
            assertThat(table.path("generated").asLong()).as(table.toString()).isEqualTo(rows);
            assertThat(table.path("appended").asLong()).as(table.toString()).isEqualTo(rows);
            assertThat(table.path("inOutbox").asLong()).as(table.toString()).isZero();
        }
        assertThat(relay.path("channels")).hasSize(3);
        int samples = relay.path("history").path("epochMillis").size();
        assertThat(samples).isPositive();
        for (SkiTable table : SkiTable.values()) {
            assertThat(relay.path("history").path("rowsPerSecond").path(table.name())).hasSize(samples);
            assertThat(relay.path("history").path("commitLagSeconds").path(table.name())).hasSize(samples);
        }
        double peakLiftRidesPerSecond = 0;
        for (JsonNode rate : relay.path("history").path("rowsPerSecond").path("LIFT_RIDE")) {
            peakLiftRidesPerSecond = Math.max(peakLiftRidesPerSecond, rate.asDouble());
        }
        assertThat(peakLiftRidesPerSecond).as("lift rides committed per second at the peak").isPositive();
    }

    @Test
    void api_report_equals_the_report_queries_on_the_store() throws Exception {
        Map<SkiTable, Long> landed = storeCounts();
        JsonNode report = awaitFinalReport(url, landed);
        assertThat(report.path("available").asBoolean()).isTrue();
        for (JsonNode table : report.path("tables")) {
            SkiTable name = SkiTable.valueOf(table.path("table").asText());
            assertThat(table.path("generated").asLong()).as(name.name()).isEqualTo(landed.get(name));
            assertThat(table.path("duplicates").asLong()).as(name.name()).isZero();
        }
        assertSectionsEqualTheStore(report);
        assertThat(report.path("worldTime").asText()).isEqualTo(
                String.valueOf(query(ReportQueries.WORLD_TIME).get(0).get("WORLD_TIME")));
    }

    @Test
    void metrics_shows_the_relays_meters_in_the_prometheus_format() throws Exception {
        Map<SkiTable, Long> landed = storeCounts();
        HttpResponse<String> response = get(url + "metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String committedMetric = RelayMeterBinder.COMMITTED_OFFSET.replace('.', '_');
        Map<SkiTable, Long> committed = new EnumMap<>(SkiTable.class);
        Matcher line = Pattern.compile("(?m)^" + committedMetric + "\\{channel=\"[A-Z0-9_]*?_(RESORT_TICKET|SEASON_PASS|LIFT_RIDE)\"} ([0-9.E]+)$")
                .matcher(response.body());
        while (line.find()) {
            committed.merge(SkiTable.valueOf(line.group(1)), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        assertThat(committed).as(response.body()).isEqualTo(landed);
        assertThat(response.body()).contains("# TYPE snowpipe_relay_rows_appended_total counter",
                "snowpipe_relay_commit_lag_seconds{", "snowpipe_relay_reopens_total{");
    }

    @Test
    void the_page_and_chart_js_come_from_the_jar() throws Exception {
        HttpResponse<String> page = get(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Ski Resort Operations Hub", "src=\"vendor/chart.umd.min.js\"")
                .doesNotContain("src=\"http", "href=\"http");
        HttpResponse<String> chartJs = get(url + "vendor/chart.umd.min.js");
        assertThat(chartJs.statusCode()).isEqualTo(200);
        assertThat(chartJs.body()).contains("Chart.js v" + DashboardServer.chartJsVersion());
        assertThat(get(url + "dashboard.js").statusCode()).isEqualTo(200);
        assertThat(get(url + "no-such-page").statusCode()).isEqualTo(404);
    }

    @Test
    void the_page_in_headless_chromium_shows_the_stores_counts_and_charts_with_data() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "Debian's chromium is not installed (" + HeadlessChromium.EXECUTABLE
                + "): skipping the dashboard browser test; install it with: apt-get install -y chromium");
        Map<SkiTable, Long> landed = storeCounts();
        awaitFinalReport(url, landed);
        try (HeadlessChromium browser = new HeadlessChromium(url, 1400, 1000, Path.of("target", "chromium.log"))) {
            JsonNode shown = await("the page to show the store's counts").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions() // the page may still be loading: evaluated before its scripts ran
                    .until(() -> browser.evaluate(VISIBLE_STATE), state -> state.path("phase").asText().equals("done")
                            && visibleCounts(state, "committed").equals(landed)
                            && visibleCounts(state, "landed").equals(landed)
                            && state.path("chartPoints").path("revenue").asInt() > 0
                            && state.path("chartPoints").path("lifts").asInt() > 0);
            for (SkiTable table : SkiTable.values()) {
                long rows = landed.get(table);
                assertThat(visibleCounts(shown, "generated").get(table)).as(table.name()).isEqualTo(rows);
                assertThat(visibleCounts(shown, "inOutbox").get(table)).as(table.name()).isZero();
            }
            JsonNode points = shown.path("chartPoints");
            assertThat(points.path("rate").asInt()).as("rows/s samples").isPositive();
            assertThat(points.path("lag").asInt()).as("commit lag samples").isPositive();
            assertThat(points.path("hourly").asInt()).as("hourly rides").isEqualTo(
                    query(ReportQueries.HOURLY_RIDES_LATEST_DAY).size());
            assertThat(points.path("lifts").asInt()).as("busiest lifts").isEqualTo(
                    query(ReportQueries.BUSIEST_LIFTS_LAST_30_MIN).size());
            assertThat(points.path("mix").asInt()).as("ticket vs pass").isEqualTo(2);
            // The revenue chart adds up to the report query's revenue.
            double revenue = 0;
            for (Map<String, Object> row : query(ReportQueries.DAILY_REVENUE_BY_RESORT)) {
                revenue += ((Number) row.get("TOTAL_REVENUE_USD")).doubleValue();
            }
            assertThat(shown.path("revenueTotal").asDouble()).isCloseTo(revenue, org.assertj.core.data.Offset.offset(0.01));
            browser.screenshot(SCREENSHOT, 1400);
        }
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    @Test
    void the_dashboard_command_serves_the_report_of_an_existing_store() throws Exception {
        Map<SkiTable, Long> landed = storeCounts();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Future<Integer> dashboard = run(out, err, "dashboard", "--store", store.toString(), "--port", "0",
                "--dashboard-linger", "5m");
        try {
            String standalone = await("the dashboard URL").atMost(Duration.ofSeconds(30))
                    .until(() -> find(STANDALONE_URL, out.toString()), found -> found != null || dashboard.isDone());
            assertThat(standalone).as("stdout:%n%s%nstderr:%n%s", out, err).isNotNull().isNotEqualTo(url);
            JsonNode report = awaitFinalReport(standalone, landed);
            assertSectionsEqualTheStore(report);
            JsonNode relay = getJson(standalone, "api/relay");
            assertThat(relay.path("live").asBoolean()).isFalse();
            assertThat(relay.path("note").asText()).contains("No relay runs in this process");
        } finally {
            dashboard.cancel(true);
            await("the dashboard command to stop").atMost(Duration.ofSeconds(30)).until(dashboard::isDone);
        }
    }

    /** What the page shows: the counts table's cells, the relay phase and each chart's number of data points. */
    private static final String VISIBLE_STATE = """
            (() => {
              const cells = {};
              document.querySelectorAll('#relay-counts td[data-table]').forEach(td => {
                (cells[td.dataset.table] = cells[td.dataset.table] || {})[td.dataset.field] = td.textContent;
              });
              const charts = window.dashboardCharts || {};
              const chartPoints = {};
              Object.entries(charts).forEach(([name, chart]) => {
                chartPoints[name] = chart.data.datasets.length ? chart.data.datasets[0].data.length : 0;
              });
              const revenueTotal = charts.revenue ? charts.revenue.data.datasets
                  .flatMap(d => d.data).reduce((a, b) => a + b, 0) : 0;
              return { phase: document.body.dataset.relayPhase, cells, chartPoints, revenueTotal };
            })()
            """;

    private static Map<SkiTable, Long> visibleCounts(JsonNode state, String field) {
        Map<SkiTable, Long> counts = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            String text = state.path("cells").path(table.name()).path(field).asText("");
            String digits = text.replaceAll("[^0-9]", "");
            if (!digits.isEmpty()) {
                counts.put(table, Long.parseLong(digits));
            }
        }
        return counts;
    }

    private JsonNode awaitFinalReport(String base, Map<SkiTable, Long> landed) {
        return await("the report to show every landed row").atMost(Duration.ofSeconds(30))
                .until(() -> getJson(base, "api/report"), report -> {
                    Map<SkiTable, Long> shown = new EnumMap<>(SkiTable.class);
                    report.path("tables").forEach(t -> shown.put(SkiTable.valueOf(t.path("table").asText()),
                            t.path("landed").asLong()));
                    return shown.equals(landed);
                });
    }

    private void assertSectionsEqualTheStore(JsonNode report) throws Exception {
        for (ReportQueries.Section section : ReportQueries.SECTIONS) {
            JsonNode shown = report.path("sections").path(section.id());
            assertThat(shown.path("title").asText()).isEqualTo(section.title());
            // Both sides through JSON text, so numbers compare by value.
            JsonNode expected = json.readTree(json.writeValueAsString(query(section.sql())));
            assertThat(shown.path("rows")).as(section.id()).isEqualTo(expected);
            assertThat(expected).as(section.id() + " has rows").isNotEmpty();
        }
    }

    private static Map<SkiTable, Long> committedPerTable(JsonNode relay) {
        Map<SkiTable, Long> committed = new EnumMap<>(SkiTable.class);
        relay.path("tables").forEach(t -> committed.put(SkiTable.valueOf(t.path("table").asText()),
                t.path("committed").asLong()));
        return committed;
    }

    private Map<SkiTable, Long> storeCounts() throws SQLException {
        Map<SkiTable, Long> counts = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            counts.put(table, ((Number) query(ReportQueries.rowCount(table)).get(0).get("ROWS_LANDED")).longValue());
        }
        assertThat(counts.values()).allMatch(rows -> rows > 0);
        return counts;
    }

    private List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.put(meta.getColumnLabel(c), rs.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private Future<Integer> run(StringWriter out, StringWriter err, String... args) {
        return commands.submit(() -> {
            picocli.CommandLine commandLine = SkiResort.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            return commandLine.execute(args);
        });
    }

    private JsonNode getJson(String path) throws Exception {
        return getJson(url, path);
    }

    private JsonNode getJson(String base, String path) throws Exception {
        HttpResponse<String> response = get(base + path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return json.readTree(response.body());
    }

    private HttpResponse<String> get(String address) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(address)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }
}
