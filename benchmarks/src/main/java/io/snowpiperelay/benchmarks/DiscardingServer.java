package io.snowpiperelay.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server that speaks just enough of the Snowpipe Streaming protocol for the real SDK to append, and throws the
 * rows away (it decompresses each request and counts its lines, nothing more). Each request's offset token
 * becomes the channel's committed token after the commit lag. It is the yardstick of the emulator's cost: the SDK
 * ceiling against it versus against the emulator (docs/benchmarks.md). Not a test double:
 * it checks no auth, no names, no continuation tokens. Runs on 127.0.0.1, port 0. Thread-safe.
 */
final class DiscardingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FLUSH_INTERVAL_MILLIS = 50;

    private final HttpServer http;
    private final ExecutorService executor;
    private final long commitLagNanos;
    private final KeyPair keyPair;
    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** One channel: rows counted, tokens waiting for their commit time. Guarded by itself. */
    private static final class ChannelState {
        final String database;
        final String schema;
        final String pipe;
        final String name;
        final long createdOnMillis = System.currentTimeMillis();
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        String committedToken;
        long rowsInserted;
        long instance;
        long requests;

        ChannelState(String database, String schema, String pipe, String name) {
            this.database = database;
            this.schema = schema;
            this.pipe = pipe;
            this.name = name;
        }
    }

    /** An appended request waiting for its commit time. */
    private record Pending(long dueNanos, String token, long rows) { }

    private DiscardingServer(long commitLagMillis) throws IOException {
        this.commitLagNanos = commitLagMillis * 1_000_000L;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keyPair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "discard-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
    }

    static DiscardingServer start(long commitLagMillis) throws IOException {
        DiscardingServer server = new DiscardingServer(commitLagMillis);
        server.http.start();
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** SDK client properties for this server, with the same emulator-safe settings as the testkit's profile. */
    Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("url", url());
        p.setProperty("user", "BENCH");
        p.setProperty("account", "DISCARD");
        p.setProperty("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        p.setProperty("max_buffered_kb_for_rowset_mode", "1000000");
        p.setProperty("max_rowset_payload_size_mb", "128");
        p.setProperty("target_rowset_payload_size_mb", "32");
        return p;
    }

    /** Rows counted (= "inserted") on channels of {@code table} (every channel whose pipe starts with it). */
    long rowsOfTable(String table) {
        return channels.values().stream().filter(c -> c.pipe.startsWith(table)).mapToLong(c -> {
            synchronized (c) {
                settle(c, System.nanoTime());
                return c.rowsInserted;
            }
        }).sum();
    }

    /** Forgets every channel of {@code table}, like clearing the table. */
    void clear(String table) {
        channels.values().removeIf(c -> c.pipe.startsWith(table));
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals("/v2/streaming/hostname")) {
                reply(exchange, 200, "127.0.0.1");
            } else if (path.equals("/oauth/token")) {
                reply(exchange, 200, scopedToken());
            } else if (path.startsWith("/telemetry/")) {
                reply(exchange, 200, "{\"success\":true,\"data\":\"ok\",\"code\":\"0\",\"message\":\"ok\"}");
            } else if (path.endsWith(":pipe-info")) {
                reply(exchange, 200, pipeInfo());
            } else if (path.endsWith(":bulk-channel-status")) {
                reply(exchange, 200, bulkStatus(segments(path), body));
            } else if (path.startsWith("/v2/streaming/data/") && path.endsWith("/rows")) {
                reply(exchange, 200, append(exchange, segments(path), body));
            } else if (path.contains("/channels/") && method.equals("PUT")) {
                reply(exchange, 200, open(segments(path)));
            } else if (path.contains("/channels/") && method.equals("DELETE")) {
                reply(exchange, 200, "{}");
            } else {
                reply(exchange, 404, "{\"error_code\":\"NOT_FOUND\",\"message\":\"" + path + "\"}");
            }
        } catch (RuntimeException e) {
            reply(exchange, 400, "{\"error_code\":\"BAD_REQUEST\",\"message\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** Path segments after {@code databases}: [db, "schemas", schema, "pipes", pipe(:op), "channels", channel, ...]. */
    private static String[] segments(String rawPath) {
        String rest = rawPath.substring(rawPath.indexOf("/databases/") + "/databases/".length());
        String[] parts = rest.split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        return parts;
    }

    private static String pipeOf(String[] segments) {
        String pipe = segments[4];
        int colon = pipe.indexOf(':');
        return colon < 0 ? pipe : pipe.substring(0, colon);
    }

    private static String key(String db, String schema, String pipe, String channel) {
        return db + "." + schema + "." + pipe + "." + channel;
    }

    private String open(String[] s) throws IOException {
        String pipe = pipeOf(s);
        ChannelState channel = channels.computeIfAbsent(key(s[0], s[2], pipe, s[6]),
                k -> new ChannelState(s[0], s[2], pipe, s[6]));
        ObjectNode response = JSON.createObjectNode();
        synchronized (channel) {
            channel.instance = sequence.incrementAndGet();
            response.put("next_continuation_token", channel.instance + "_0");
            response.set("channel_status", status(channel));
        }
        return JSON.writeValueAsString(response);
    }

    private String append(HttpExchange exchange, String[] s, byte[] body) {
        String query = exchange.getRequestURI().getRawQuery();
        int start = query.indexOf("offsetToken=") + "offsetToken=".length();
        int end = query.lastIndexOf("&continuationToken=");
        String token = URLDecoder.decode(query.substring(start, end), StandardCharsets.UTF_8);
        byte[] ndjson = body;
        if ("zstd".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            long size = Zstd.getFrameContentSize(body);
            if (size < 0) {
                size = Long.parseLong(exchange.getRequestHeaders().getFirst("x-snowflake-uncompressed-content-length"));
            }
            ndjson = Zstd.decompress(body, (int) size);
        }
        long rows = 0;
        for (byte b : ndjson) {
            if (b == '\n') {
                rows++;
            }
        }
        ChannelState channel = channels.get(key(s[0], s[2], pipeOf(s), s[6]));
        if (channel == null) {
            throw new IllegalStateException("unknown channel");
        }
        synchronized (channel) {
            channel.requests++;
            channel.pending.addLast(new Pending(System.nanoTime() + commitLagNanos, token, rows));
            return "{\"next_continuation_token\":\"" + channel.instance + "_" + channel.requests + "\"}";
        }
    }

    private String bulkStatus(String[] s, byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body);
        String pipe = pipeOf(s);
        ObjectNode statuses = JSON.createObjectNode();
        long now = System.nanoTime();
        for (JsonNode nameNode : request.path("channel_names")) {
            String name = nameNode.asText();
            ChannelState channel = channels.get(key(s[0], s[2], pipe, name));
            if (channel != null) {
                synchronized (channel) {
                    settle(channel, now);
                    statuses.set(name, status(channel));
                }
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("channel_statuses", statuses);
        return JSON.writeValueAsString(response);
    }

    /** Commits what has waited out the lag. Caller holds the channel's lock. */
    private static void settle(ChannelState channel, long now) {
        while (!channel.pending.isEmpty() && channel.pending.peekFirst().dueNanos() - now <= 0) {
            Pending done = channel.pending.pollFirst();
            channel.rowsInserted += done.rows();
            if (!done.token().isEmpty()) {
                channel.committedToken = done.token();
            }
        }
    }

    private static ObjectNode status(ChannelState channel) {
        ObjectNode status = JSON.createObjectNode();
        status.put("database_name", channel.database);
        status.put("schema_name", channel.schema);
        status.put("pipe_name", channel.pipe);
        status.put("channel_name", channel.name);
        status.put("channel_status_code", "SUCCESS");
        if (channel.committedToken == null) {
            status.putNull("last_committed_offset_token");
        } else {
            status.put("last_committed_offset_token", channel.committedToken);
        }
        status.put("created_on_ms", channel.createdOnMillis);
        status.put("rows_inserted", channel.rowsInserted);
        status.put("rows_parsed", channel.rowsInserted);
        status.put("rows_error_count", 0);
        status.putNull("last_error_offset_upper_bound");
        status.putNull("last_error_message");
        status.putNull("last_error_timestamp_ms");
        status.putNull("snowflake_avg_processing_latency_ms");
        return status;
    }

    private static String pipeInfo() throws IOException {
        byte[] pipeKey = new byte[32];
        new java.security.SecureRandom().nextBytes(pipeKey);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode stage = root.putObject("stage_location");
        stage.put("expiry_time_ms", System.currentTimeMillis() + 3_600_000L);
        stage.put("location_type", "S3");
        stage.put("location", "discard-bucket/prefix/");
        stage.put("use_s3_regional_url", false);
        stage.put("region", "us-west-2");
        ObjectNode creds = stage.putObject("creds");
        creds.put("AWS_KEY_ID", "x");
        creds.put("AWS_SECRET_KEY", "x");
        creds.put("AWS_TOKEN", "x");
        ObjectNode encryption = root.putObject("encryption_info");
        encryption.put("pipe_key_id", "1");
        encryption.put("diversifier", "d");
        encryption.put("pipe_key", Base64.getEncoder().encodeToString(pipeKey));
        root.putObject("parameter_overrides").put("max_append_request_buffer_duration_ms", FLUSH_INTERVAL_MILLIS);
        return JSON.writeValueAsString(root);
    }

    private static String scopedToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + b64.encodeToString("discard".getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
