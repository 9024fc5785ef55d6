package io.snowpiperelay.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code emulator-ingest}: the emulator alone, without the SDK. Pre-encoded append requests (zstd NDJSON, as the
 * SDK sends them: compact Jackson JSON, one row per line) go out from a plain {@link HttpClient}, one thread per
 * channel, each request waiting for the previous one's continuation token as the SDK does. The clock stops when
 * the bulk channel status reports every channel's last offset token as committed. The figure shows how much the
 * emulator can take when nothing else competes for the CPU but the HTTP client.
 */
final class EmulatorIngestProbe {

    static final String NAME = Report.EMULATOR_INGEST;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModeContext ctx;
    private final int requestRows;
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<Integer> uncompressedLengths = new ArrayList<>();
    private final List<Long> payloadBytes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final KeyPairJwt jwt;
    private String scopedToken;
    private final java.util.concurrent.atomic.LongAdder busyReplies = new java.util.concurrent.atomic.LongAdder();

    /** Append requests the emulator answered with a retryable status (backpressure) so far. */
    long busyReplies() {
        return busyReplies.sum();
    }

    /** Pre-encodes four distinct request bodies of {@code requestRows} rows each. */
    EmulatorIngestProbe(ModeContext ctx, int requestRows) {
        this.ctx = ctx;
        this.requestRows = requestRows;
        this.jwt = new KeyPairJwt(ctx.clientProperties());
        RowConverter converter = new RowConverter(Integer.MAX_VALUE);
        RowConverter.Result result = new RowConverter.Result();
        for (int body = 0; body < 4; body++) {
            ByteArrayOutputStream ndjson = new ByteArrayOutputStream(requestRows * 600);
            long bytes = 0;
            for (int i = 0; i < requestRows; i++) {
                long index = (long) body * requestRows + i;
                if (!converter.convert(SourceRecord.ofJson(index + 1, ctx.workload().payload(index)), result)) {
                    throw new IllegalStateException(result.failure);
                }
                bytes += result.bytes;
                try {
                    JSON.writeValue(ndjson, result.row);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                ndjson.write('\n');
            }
            byte[] raw = ndjson.toByteArray();
            uncompressedLengths.add(raw.length);
            bodies.add(Zstd.compress(raw, 3));
            payloadBytes.add(bytes);
        }
    }

    ModeRun run(int repeat) throws Exception {
        int channelCount = ctx.channels();
        ResourceMeter meter = new ResourceMeter();
        scopedToken = fetchScopedToken();
        List<String> names = new ArrayList<>();
        List<String> continuations = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            String name = ctx.channelName(NAME, repeat, i);
            names.add(name);
            continuations.add(openChannel(name));
        }
        AtomicLong bytes = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(channelCount, r -> {
            Thread t = new Thread(r, "ingest-probe");
            t.setDaemon(true);
            return t;
        });
        long emulatorCpuStart = ctx.emulator().cpuNanos();
        LatencyRecorder latency = new LatencyRecorder();
        long[] lastOffsets = new long[channelCount];
        try {
            meter.start();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
                String name = names.get(i);
                String continuation = continuations.get(i);
                long channelRows = ctx.rowsOfChannel(i, channelCount);
                // Whole requests only: the probe rounds each channel's rows up to a multiple of requestRows.
                long requests = (channelRows + requestRows - 1) / requestRows;
                lastOffsets[i] = requests * requestRows;
                int first = i;
                futures.add(senders.submit(() -> {
                    bytes.addAndGet(send(name, continuation, requests, first, latency));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(ctx.timeoutMillis(), TimeUnit.MILLISECONDS);
            }
            long totalRows = 0;
            for (long last : lastOffsets) {
                totalRows += last;
            }
            awaitCommitted(names, lastOffsets, latency, meter.startWallNanos());
            long wallNanos = System.nanoTime() - meter.startWallNanos();
            long emulatorCpu = emulatorCpuStart < 0 ? -1 : ctx.emulator().cpuNanos() - emulatorCpuStart;
            long cpuNanos = meter.cpuNanosSinceStart();
            long gcMillis = meter.gcMillisSinceStart();
            java.util.Map<String, Long> threads = meter.cpuByThreadGroupSinceStart();
            long verified = rowsInserted(names);
            return new ModeRun(NAME, repeat, channelCount, totalRows, bytes.get(), wallNanos,
                    cpuNanos, emulatorCpu, latency.percentileMillis(50),
                    latency.percentileMillis(99), meter.peakHeapBytes(), verified, gcMillis, threads,
                    latency.lastReadNanos() - meter.startWallNanos());
        } finally {
            senders.shutdownNow();
        }
    }

    private long send(String channel, String continuation, long requests, int bodySeed, LatencyRecorder latency)
            throws IOException, InterruptedException {
        long bytes = 0;
        String next = continuation;
        for (long r = 0; r < requests; r++) {
            int body = (int) ((r + bodySeed) % bodies.size());
            long lastOffset = (r + 1) * requestRows;
            latency.batchRead(channel, lastOffset);
            URI uri = URI.create(ctx.emulator().url() + "/v2/streaming/data/databases/" + Workload.DATABASE
                    + "/schemas/" + Workload.SCHEMA + "/pipes/" + encode(ctx.workload().pipe()) + "/channels/"
                    + encode(channel) + "/rows?offsetToken=" + lastOffset + "&continuationToken=" + next
                    + "&requestId=" + UUID.randomUUID());
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + scopedToken)
                    .header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                    .header("Content-Type", "application/x-ndjson")
                    .header("Content-Encoding", "zstd")
                    .header("x-snowflake-uncompressed-content-length", Integer.toString(uncompressedLengths.get(body)))
                    .header("x-snowflake-min-append-timestamp-ms", Long.toString(System.currentTimeMillis()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(body)))
                    .build();
            HttpResponse<String> response;
            int attempt = 0;
            while (true) {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    break;
                }
                if (status != 408 && status != 429 && status < 500) {
                    throw new IllegalStateException("emulator-ingest: append to " + channel + " returned HTTP "
                            + status + ": " + response.body());
                }
                // Backpressure (the emulator bounds its uncommitted data): the same request again, as the SDK does,
                // but after milliseconds rather than the SDK's second, to find the emulator's capacity.
                busyReplies.increment();
                attempt++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(200, 5L << Math.min(attempt, 6))));
            }
            next = JSON.readTree(response.body()).path("next_continuation_token").asText();
            bytes += payloadBytes.get(body);
        }
        return bytes;
    }

    private void awaitCommitted(List<String> names, long[] lastOffsets, LatencyRecorder latency, long startNanos)
            throws IOException, InterruptedException {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(ctx.timeoutMillis());
        while (true) {
            JsonNode statuses = bulkStatus(names);
            boolean all = true;
            for (int i = 0; i < names.size(); i++) {
                String token = statuses.path(names.get(i)).path("last_committed_offset_token").asText("");
                long committed = token.isEmpty() ? 0 : Long.parseLong(token);
                latency.confirmedUpTo(names.get(i), committed);
                all &= committed >= lastOffsets[i];
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("emulator-ingest: channels did not commit within "
                        + ctx.timeoutMillis() + " ms: " + statuses);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private long rowsInserted(List<String> names) throws IOException, InterruptedException {
        JsonNode statuses = bulkStatus(names);
        long sum = 0;
        for (String name : names) {
            sum += statuses.path(name).path("rows_inserted").asLong();
        }
        return sum;
    }

    private JsonNode bulkStatus(List<String> names) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(java.util.Map.of("channel_names", names));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ctx.emulator().url() + "/v2/streaming/databases/"
                        + Workload.DATABASE + "/schemas/" + Workload.SCHEMA + "/pipes/" + encode(ctx.workload().pipe())
                        + ":bulk-channel-status?requestId=" + UUID.randomUUID()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + scopedToken)
                .header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("emulator-ingest: bulk status returned HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("channel_statuses");
    }

    private String fetchScopedToken() throws IOException, InterruptedException {
        String form = "grant_type=" + encode("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&scope=127.0.0.1";
        HttpRequest request = HttpRequest.newBuilder(URI.create(ctx.emulator().url() + "/oauth/token?requestId="
                        + UUID.randomUUID()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + jwt.mint())
                .header("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("emulator-ingest: /oauth/token returned HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body().trim();
    }

    private String openChannel(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ctx.emulator().url() + "/v2/streaming/databases/"
                        + Workload.DATABASE + "/schemas/" + Workload.SCHEMA + "/pipes/" + encode(ctx.workload().pipe())
                        + "/channels/" + encode(name) + "?requestId=" + UUID.randomUUID()))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + scopedToken)
                .header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("emulator-ingest: open channel " + name + " returned HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("next_continuation_token").asText();
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
