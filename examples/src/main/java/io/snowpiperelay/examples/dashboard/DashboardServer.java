package io.snowpiperelay.examples.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ski-resort dashboard: a page on {@code 127.0.0.1} that shows the relay's progress and the report's charts,
 * refreshing itself, with Chart.js served from the jar (it works offline). Endpoints:
 * <ul>
 *   <li>{@code GET /}: the page ({@code dashboard.js}, {@code dashboard.css}, {@code /vendor/chart.umd.min.js});
 *   <li>{@code GET /api/relay}: {@link RelayTimeline.View} as JSON, plus {@code live} (whether a relay runs in
 *       this process), {@code note}, and {@code fleet} ({@link FleetTable.View}: which member owns which partition)
 *       when the outbox is a PostgreSQL outbox with a {@code relay --fleet} fleet's leases;
 *   <li>{@code GET /api/report}: {@link ReportCache.View} as JSON (the {@code report} command's queries);
 *   <li>{@code GET /metrics}: the Micrometer registry in the Prometheus text format (the relay's meters from
 *       {@link io.snowpiperelay.micrometer.RelayMeterBinder}).
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the server, the timeline, the report cache and the fleet table; it is
 * idempotent.
 */
public final class DashboardServer implements AutoCloseable {

    /** The port the {@code demo --dashboard} and {@code dashboard} commands listen on unless told otherwise. */
    public static final int DEFAULT_PORT = 7070;
    /** The only interface the server listens on: the dashboard is for the person at this machine. */
    public static final String HOST = "127.0.0.1";

    private static final String WEB = "/io/snowpiperelay/examples/dashboard/";
    private static final String CHART_JS_PROPERTIES = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private final RelayTimeline timeline;
    private final String relayNote;
    private final ReportCache report;
    private final FleetTable fleet;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final Javalin app;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DashboardServer(RelayTimeline timeline, String relayNote, ReportCache report, FleetTable fleet,
            PrometheusMeterRegistry registry, int port) {
        this.timeline = timeline;
        this.relayNote = relayNote;
        this.report = Objects.requireNonNull(report, "report");
        this.fleet = fleet;
        this.registry = Objects.requireNonNull(registry, "registry");
        byte[] page = resource(WEB + "index.html");
        byte[] script = resource(WEB + "dashboard.js");
        byte[] style = resource(WEB + "dashboard.css");
        byte[] chartJs = resource("/META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/", ctx -> send(ctx, "text/html; charset=utf-8", page));
            config.routes.get("/dashboard.js", ctx -> send(ctx, "text/javascript; charset=utf-8", script));
            config.routes.get("/dashboard.css", ctx -> send(ctx, "text/css; charset=utf-8", style));
            config.routes.get("/vendor/chart.umd.min.js", ctx -> send(ctx, "text/javascript; charset=utf-8", chartJs));
            config.routes.get("/api/relay", this::relay);
            config.routes.get("/api/report", this::report);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .header("Cache-Control", "no-store").result(registry.scrape()));
        });
        try {
            app.start(HOST, port);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("the dashboard cannot listen on " + HOST + ":" + port + " (" + e.getMessage()
                    + "); is another dashboard running? Choose another port, or 0 for any free one", e);
        }
    }

    /**
     * Starts the server.
     *
     * @param timeline  the relay's progress, or {@code null} when no relay runs in this process
     * @param relayNote why there is no relay (shown on the page), or {@code null}
     * @param report    the report, refreshed in the background
     * @param registry  the registry {@code /metrics} shows
     * @param port      the port on {@link #HOST}; 0 for any free port
     * @throws IllegalStateException if the port cannot be bound (the timeline and cache are then closed)
     */
    public static DashboardServer start(RelayTimeline timeline, String relayNote, ReportCache report,
            PrometheusMeterRegistry registry, int port) {
        return start(timeline, relayNote, report, null, registry, port);
    }

    /**
     * Starts the server with a "Fleet" table.
     *
     * @param fleet the fleet's leases, or {@code null} when the outbox has none (a SQLite outbox); closed with the
     *              server
     * @see #start(RelayTimeline, String, ReportCache, PrometheusMeterRegistry, int)
     */
    public static DashboardServer start(RelayTimeline timeline, String relayNote, ReportCache report,
            FleetTable fleet, PrometheusMeterRegistry registry, int port) {
        if (port < 0 || port > 65_535) {
            if (fleet != null) {
                fleet.close();
            }
            throw new IllegalArgumentException("port is " + port + "; allowed: 0 (any free port) to 65535");
        }
        return new DashboardServer(timeline, relayNote, report, fleet, registry, port);
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:7070/}. */
    public String url() {
        return "http://" + HOST + ":" + port() + "/";
    }

    /** The relay timeline, or {@code null} when no relay runs in this process. */
    public RelayTimeline timeline() {
        return timeline;
    }

    private void relay(Context ctx) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("live", timeline != null);
        body.put("note", relayNote);
        if (timeline != null) {
            body.setAll((ObjectNode) json.valueToTree(timeline.view()));
        }
        FleetTable.View fleetView = fleet == null ? null : fleet.view();
        if (fleetView != null) {
            body.set("fleet", json.valueToTree(fleetView));
        }
        sendJson(ctx, body);
    }

    private void report(Context ctx) throws IOException {
        sendJson(ctx, report.view());
    }

    private void sendJson(Context ctx, Object body) throws IOException {
        ctx.contentType("application/json").header("Cache-Control", "no-store").result(json.writeValueAsBytes(body));
    }

    private static void send(Context ctx, String contentType, byte[] body) {
        ctx.contentType(contentType).result(body);
    }

    /** The Chart.js version on the class path (the WebJar pinned in the parent POM). */
    static String chartJsVersion() {
        Properties properties = new Properties();
        try (InputStream in = DashboardServer.class.getResourceAsStream(CHART_JS_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException(CHART_JS_PROPERTIES + " is not on the class path: the Chart.js"
                        + " WebJar (org.webjars.npm:chart.js) is missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, the timeline, the report cache and the fleet table. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (app != null) {
                app.stop();
            }
        } finally {
            if (timeline != null) {
                timeline.close();
            }
            report.close();
            if (fleet != null) {
                fleet.close();
            }
        }
    }
}
