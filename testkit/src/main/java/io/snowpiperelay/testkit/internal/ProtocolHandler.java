package io.snowpiperelay.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStream;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.Fault;
import io.snowpiperelay.testkit.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snowpipe Streaming REST endpoints (protocol §3, §5) on Jetty core, without servlets. Routing, auth, faults,
 * recording; the Snowflake semantics live in {@link Engine}.
 */
public final class ProtocolHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ProtocolHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TELEMETRY_OK = "{\"success\":true,\"data\":\"ok\",\"code\":\"0\",\"message\":\"ok\"}";
    private static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

    private final Engine engine;
    private final Auth auth;
    private final Hooks hooks;
    private final long flushIntervalMs;
    private final String pipeKey;
    /** Scoped tokens already verified, to expiry (ms); bounded by clearing. */
    private final Map<String, Long> verifiedTokens = new ConcurrentHashMap<>();

    public ProtocolHandler(Engine engine, Auth auth, Hooks hooks, long flushIntervalMs) {
        this.engine = engine;
        this.auth = auth;
        this.hooks = hooks;
        this.flushIntervalMs = flushIntervalMs;
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        this.pipeKey = Base64.getEncoder().encodeToString(key);
    }

    /** A parsed request target. */
    private record Route(Endpoint endpoint, String db, String schema, String pipe, String channel) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        if (query == null) {
            query = "";
        }
        Route route = route(method, path);
        hooks.count(route.endpoint());
        Fault fault = hooks.fault(route.endpoint());
        if (fault != null) {
            switch (fault.kind()) {
                case LATENCY -> sleep(fault.latency().toMillis());
                case DROP_CONNECTION -> {
                    drain(request);
                    abort(request, callback);
                    return true;
                }
                case STATUS -> {
                    drain(request);
                    send(response, callback, Reply.error(fault.httpStatus(), fault.errorCode(), fault.message()), "application/json");
                    return true;
                }
                default -> {
                }
            }
        }
        Reply reply;
        String contentType = "application/json";
        try {
            byte[] body = readBody(request);
            int bodyLength = body.length;
            AppendBody appendBody = null;
            if (route.endpoint() == Endpoint.APPEND) {
                String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
                if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding)) {
                    appendBody = decompress(body, encoding, request.getHeaders().get("x-snowflake-uncompressed-content-length"));
                } else {
                    appendBody = AppendBody.plain(body, bodyLength);
                }
                if (hooks.recording()) {
                    body = appendBody.ndjson(null);
                    bodyLength = appendBody.ndjsonLength();
                }
            }
            if (hooks.recording()) {
                hooks.record(record(request, route.endpoint(), path, query, body, bodyLength));
            }
            String authFailure = authenticate(request, route.endpoint());
            if (authFailure != null) {
                reply = route.endpoint() == Endpoint.TOKEN || route.endpoint() == Endpoint.HOSTNAME
                        || route.endpoint() == Endpoint.TELEMETRY
                        ? Reply.error(401, "390144", "JWT token is invalid. " + authFailure)
                        : Reply.error(401, "390303", "Invalid OAuth access token. " + authFailure);
            } else {
                reply = dispatch(request, route, query, body, bodyLength, appendBody);
                if (route.endpoint() == Endpoint.HOSTNAME || route.endpoint() == Endpoint.TOKEN) {
                    contentType = reply.status() == 200 ? "text/plain" : contentType;
                }
            }
        } catch (BadRequest e) {
            reply = Reply.error(400, "ERR_BAD_REQUEST", e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            reply = Reply.error(400, "ERR_BAD_REQUEST", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException | IOException e) {
            log.error("snowpipe-emulator - {} {} failed", method, path, e);
            reply = Reply.error(500, "ERR_INTERNAL_ERROR", "Internal error: " + e);
        }
        if (fault != null && fault.kind() == Fault.Kind.DROP_RESPONSE) {
            abort(request, callback);
            return true;
        }
        send(response, callback, reply, contentType);
        return true;
    }

    private Reply dispatch(Request request, Route r, String query, byte[] body, int bodyLength, AppendBody appendBody)
            throws IOException {
        switch (r.endpoint()) {
            case HOSTNAME:
                return new Reply(200, "127.0.0.1");
            case TOKEN:
                return new Reply(200, auth.issueScopedToken(subjectOf(bearer(request))));
            case TELEMETRY:
                return Reply.ok(TELEMETRY_OK);
            case OTHER:
                if (r.channel() != null && r.pipe() != null) {
                    return Reply.error(400, "ERR_FILE_MODE_NOT_SUPPORTED",
                            "The emulator does not support file mode (filebuffer); keep batches inline, see docs/emulator.md");
                }
                return Reply.error(404, "ERR_NOT_FOUND", "No such endpoint");
            default:
                break;
        }
        PipeBinding b = engine.binding(r.db(), r.schema(), r.pipe());
        if (b == null) {
            return Reply.error(404, "ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED",
                    "Pipe '" + r.db() + "." + r.schema() + "." + r.pipe() + "' does not exist or not authorized.");
        }
        if (!b.tableExists()) {
            return Reply.error(404, "ERR_TABLE_DOES_NOT_EXIST_NOT_AUTHORIZED", "Table '" + b.target().database() + "."
                    + b.target().schema() + "." + b.target().tableName() + "' of pipe '" + b.target().qualifiedName()
                    + "' does not exist or not authorized.");
        }
        switch (r.endpoint()) {
            case PIPE_INFO:
                return Reply.ok(pipeInfo());
            case OPEN_CHANNEL: {
                JsonNode json = bodyLength == 0 ? JSON.createObjectNode() : JSON.readTree(body, 0, bodyLength);
                JsonNode token = json.get("offset_token");
                boolean set = token != null;
                return engine.open(b, r.db(), r.schema(), r.pipe(), r.channel(), set,
                        token == null || token.isNull() ? null : token.asText());
            }
            case DROP_CHANNEL:
                return engine.drop(b, r.channel());
            case BULK_CHANNEL_STATUS: {
                JsonNode json = JSON.readTree(body, 0, bodyLength);
                List<String> names = new ArrayList<>();
                for (JsonNode n : json.path("channel_names")) {
                    names.add(n.asText());
                }
                return engine.bulkStatus(b, r.db(), r.schema(), r.pipe(), names);
            }
            case APPEND:
                return engine.append(b, r.channel(), Paths.continuationToken(query), Paths.offsetToken(query), appendBody);
            default:
                return Reply.error(404, "ERR_NOT_FOUND", "No such endpoint");
        }
    }

    private String pipeInfo() {
        long expiry = System.currentTimeMillis() + 3_600_000L;
        return "{\"stage_location\":{\"expiry_time_ms\":" + expiry + ",\"location_type\":\"S3\","
                + "\"location\":\"snowpipe-emulator/no-file-mode/\",\"use_s3_regional_url\":false,\"region\":\"us-west-2\","
                + "\"creds\":{\"AWS_KEY_ID\":\"emulator\",\"AWS_SECRET_KEY\":\"emulator\",\"AWS_TOKEN\":\"emulator\"}},"
                + "\"encryption_info\":{\"pipe_key_id\":\"1\",\"diversifier\":\"emulator\",\"pipe_key\":\"" + pipeKey + "\"},"
                + "\"parameter_overrides\":{\"max_append_request_buffer_duration_ms\":" + flushIntervalMs + "}}";
    }

    private String authenticate(Request request, Endpoint endpoint) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "missing Authorization: Bearer header";
        }
        String token = authorization.substring(7).trim();
        String type = request.getHeaders().get("X-Snowflake-Authorization-Token-Type");
        boolean keyPair = endpoint == Endpoint.HOSTNAME || endpoint == Endpoint.TOKEN || endpoint == Endpoint.TELEMETRY
                || "KEYPAIR_JWT".equalsIgnoreCase(type);
        if (!keyPair) {
            Long exp = verifiedTokens.get(token);
            if (exp != null && exp > System.currentTimeMillis()) {
                return null;
            }
            if (!auth.verifyScopedToken(token)) {
                return "the token was not issued by this emulator or has expired";
            }
            if (verifiedTokens.size() > 10_000) {
                verifiedTokens.clear();
            }
            verifiedTokens.put(token, System.currentTimeMillis() + 60_000);
            return null;
        }
        return auth.verifyKeyPairJwt(token);
    }

    private static String bearer(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return authorization == null || authorization.length() < 7 ? "" : authorization.substring(7).trim();
    }

    private static String subjectOf(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static Route route(String method, String rawPath) {
        String[] s = rawPath.split("/", -1);
        // "", "v2", "streaming", ...
        if (s.length == 4 && "GET".equals(method) && rawPath.equals("/v2/streaming/hostname")) {
            return new Route(Endpoint.HOSTNAME, null, null, null, null);
        }
        if (rawPath.equals("/oauth/token")) {
            return new Route(Endpoint.TOKEN, null, null, null, null);
        }
        if (rawPath.startsWith("/telemetry/")) {
            return new Route(Endpoint.TELEMETRY, null, null, null, null);
        }
        if (s.length >= 9 && s[1].equals("v2") && s[2].equals("streaming") && s[3].equals("databases")
                && s[5].equals("schemas") && s[7].equals("pipes")) {
            String db = Paths.decode(s[4]);
            String schema = Paths.decode(s[6]);
            if (s.length == 9) {
                String seg = s[8];
                int colon = seg.lastIndexOf(':');
                if (colon > 0 && "POST".equals(method)) {
                    String pipe = Paths.decode(seg.substring(0, colon));
                    String op = seg.substring(colon + 1);
                    if (op.equals("pipe-info")) {
                        return new Route(Endpoint.PIPE_INFO, db, schema, pipe, null);
                    }
                    if (op.equals("bulk-channel-status")) {
                        return new Route(Endpoint.BULK_CHANNEL_STATUS, db, schema, pipe, null);
                    }
                }
            } else if (s.length >= 11 && s[9].equals("channels")) {
                // the SDK does not percent-encode '/' in channel names: the channel is the rest of the path
                String pipe = Paths.decode(s[8]);
                String channel = Paths.decode(join(s, 10, s.length));
                if ("PUT".equals(method)) {
                    return new Route(Endpoint.OPEN_CHANNEL, db, schema, pipe, channel);
                }
                if ("DELETE".equals(method)) {
                    return new Route(Endpoint.DROP_CHANNEL, db, schema, pipe, channel);
                }
            }
        }
        if (s.length >= 13 && s[1].equals("v2") && s[2].equals("streaming") && s[3].equals("data") && s[4].equals("databases")
                && s[6].equals("schemas") && s[8].equals("pipes") && s[10].equals("channels")) {
            String last = s[s.length - 1];
            Endpoint e = "rows".equals(last) && "POST".equals(method) ? Endpoint.APPEND : Endpoint.OTHER;
            return new Route(e, Paths.decode(s[5]), Paths.decode(s[7]), Paths.decode(s[9]),
                    Paths.decode(join(s, 11, s.length - 1)));
        }
        return new Route(Endpoint.OTHER, null, null, null, null);
    }

    private static String join(String[] segments, int from, int to) {
        return String.join("/", java.util.Arrays.asList(segments).subList(from, to));
    }

    private static byte[] readBody(Request request) throws IOException {
        long length = request.getLength();
        if (length > MAX_BODY_BYTES) {
            throw new BadRequest("request body of " + length + " bytes is above the emulator's limit of " + MAX_BODY_BYTES);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            return length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        }
    }

    private static void drain(Request request) {
        try {
            readBody(request);
        } catch (IOException | RuntimeException ignored) {
            // the request is being failed anyway
        }
    }

    /** Per HTTP thread: where zstd frames are decompressed to be checked (the pending batch keeps the frame). */
    private static final ThreadLocal<byte[]> ZSTD_SCRATCH = new ThreadLocal<>();

    private static AppendBody decompress(byte[] body, String encoding, String uncompressedLength) throws IOException {
        String enc = encoding.trim().toLowerCase(Locale.ROOT);
        if (enc.equals("zstd")) {
            long size = -1;
            if (uncompressedLength != null) {
                try {
                    size = Long.parseLong(uncompressedLength.trim());
                } catch (NumberFormatException ignored) {
                    size = -1;
                }
            }
            if (size < 0) {
                size = Zstd.getFrameContentSize(body);
            }
            if (size >= 0 && size <= MAX_BODY_BYTES) {
                // Decompressed once here, so that a bad frame is answered now with 400, into a reused buffer: the
                // pending batch keeps the (smaller) frame and decompresses it again when its rows are converted.
                byte[] buffer = ZSTD_SCRATCH.get();
                if (buffer == null || buffer.length < size) {
                    buffer = new byte[(int) size];
                    if (size <= AppendBody.MAX_KEPT_SCRATCH) {
                        ZSTD_SCRATCH.set(buffer);
                    }
                }
                long n;
                try {
                    n = Zstd.decompressByteArray(buffer, 0, (int) size, body, 0, body.length);
                } catch (ZstdException e) {
                    // zstd-jni throws rather than returning an error code: a client's bad frame, not our failure.
                    throw new BadRequest("cannot decompress the zstd body: " + e.getMessage());
                }
                if (Zstd.isError(n)) {
                    throw new BadRequest("cannot decompress the zstd body: " + Zstd.getErrorName(n));
                }
                return AppendBody.zstd(body, (int) n);
            }
            try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(body))) {
                byte[] all = in.readAllBytes();
                return AppendBody.plain(all, all.length);
            } catch (ZstdIOException | ZstdException e) {
                throw new BadRequest("cannot decompress the zstd body: " + e.getMessage());
            }
        }
        if (enc.equals("gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                byte[] all = in.readAllBytes();
                return AppendBody.plain(all, all.length);
            }
        }
        throw new BadRequest("unsupported Content-Encoding " + encoding);
    }

    private static RecordedRequest record(Request request, Endpoint endpoint, String path, String query, byte[] body, int length) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f.getValue());
        }
        byte[] copy = new byte[length];
        System.arraycopy(body, 0, copy, 0, length);
        return new RecordedRequest(endpoint, request.getMethod(), path, query, headers, copy, Instant.now());
    }

    private static void send(Response response, Callback callback, Reply reply, String contentType) {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.status() == 200 ? contentType : "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void abort(Request request, Callback callback) {
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new IOException("snowpipe-emulator fault: connection dropped"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A malformed request: 400. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
