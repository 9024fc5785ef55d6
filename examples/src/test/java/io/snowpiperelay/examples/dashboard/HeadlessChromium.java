package io.snowpiperelay.examples.dashboard;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven through the DevTools protocol over the JDK's WebSocket client: open a
 * page, evaluate JavaScript in it, take a screenshot. Started with the flags this machine needs (no sandbox as
 * root, no background networking: the network is closed) and a fresh profile directory. Not thread-safe;
 * {@link #close()} kills the browser and deletes the profile.
 */
final class HeadlessChromium implements AutoCloseable {

    /** Debian's Chromium; {@code -Dchromium=PATH} points the test at another build. */
    static final Path EXECUTABLE = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final Path profile;
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** Whether Chromium is installed where Debian's package puts it. */
    static boolean installed() {
        return Files.isExecutable(EXECUTABLE);
    }

    /** Starts Chromium showing {@code url} in a window of {@code width} x {@code height}. */
    HeadlessChromium(String url, int width, int height, Path log) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("dashboard-chromium-");
        process = new ProcessBuilder(List.of(EXECUTABLE.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--window-size=" + width + "," + height, "--hide-scrollbars", url))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        WebSocket connected = null;
        try {
            // Chromium writes the port it chose (first line) to DevToolsActivePort in the profile.
            Path portFile = profile.resolve("DevToolsActivePort");
            await("Chromium's DevTools port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || (Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2));
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue() + "; see " + log);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = await("the page's DevTools target").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> pageSocketUrl(http, port), socketUrl -> socketUrl != null);
            connected = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener())
                    .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            destroy();
            throw e instanceof IOException io ? io : new IOException("cannot drive chromium: " + e, e);
        }
        socket = connected;
    }

    private String pageSocketUrl(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : json.readTree(response.body())) {
            if ("page".equals(target.path("type").asText())) {
                return target.path("webSocketDebuggerUrl").asText(null);
            }
        }
        return null;
    }

    /** Calls a DevTools method and returns its {@code result}. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = json.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", json.valueToTree(params));
        socket.sendText(json.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Evaluates a JavaScript expression in the page and returns its value (as JSON). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Saves a PNG of the whole page, {@code width} pixels wide. */
    void screenshot(Path file, int width) throws Exception {
        int height = evaluate("document.documentElement.scrollHeight").asInt();
        call("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        // Let the charts redraw at the new size before the capture.
        evaluate("Object.values(window.dashboardCharts).forEach(c => c.resize()), true");
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(text.toString());
                    CompletableFuture<JsonNode> answer = message.has("id")
                            ? pending.remove(message.get("id").asInt()) : null;
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    private void destroy() throws InterruptedException {
        // Chromium's helper processes (network service, GPU, zygote) may outlive the browser for a moment and keep
        // writing into the profile: stop them too, each bounded, before the profile is deleted.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroyForcibly();
            try {
                helper.onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                // Gone already, or stuck: the profile delete below copes either way.
            }
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A file vanished during the walk, or a profile directory is left in /tmp: both harmless.
        }
    }

    /** Closes the DevTools connection, stops Chromium (bounded) and deletes its profile. Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (socket != null && !socket.isOutputClosed()) {
            socket.abort();
        }
        destroy();
    }
}
