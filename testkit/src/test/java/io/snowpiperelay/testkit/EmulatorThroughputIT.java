package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulator's own ingest rate, without the SDK: 4 channels, each sending pre-encoded zstd NDJSON requests of
 * 2,000 lift rides (~200 B each) back to back for a few seconds over a plain HTTP client, until every row is
 * committed into SQLite. Prints rows/s of wall time and rows per CPU-second of this JVM (emulator and HTTP client
 * together), which stays meaningful on a machine shared with other builds; the floor asserted is on the latter and
 * deliberately low.
 */
class EmulatorThroughputIT {

    private static final int CHANNELS = 4;
    private static final int ROWS_PER_REQUEST = 2_000;
    private static final Duration SEND_FOR = Duration.ofSeconds(Long.getLong("sendFor", 4));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ingestsHundredsOfThousandsOfRidesPerSecond() throws Exception {
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().recordRequests(false).sql("""
                CREATE DATABASE BENCH;
                CREATE TABLE BENCH.PUBLIC.LIFT_RIDE (RIDE_ID NUMBER NOT NULL, SKIER_ID VARCHAR(36), RESORT VARCHAR(50),
                  LIFT VARCHAR(50), RIDE_TIME TIMESTAMP_NTZ, PASS_TYPE VARCHAR(10), ELEVATION_M NUMBER(5,0),
                  WAIT_SECONDS NUMBER(5,0));
                """).start()) {
            byte[] raw = ndjson();
            byte[] body = Zstd.compress(raw, 3);
            String token = ProtocolITTokens.scopedToken(emulator);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService pool = Executors.newFixedThreadPool(CHANNELS);
            // warm-up (JIT), not measured
            long warmup = System.nanoTime() - SEND_FOR.toNanos() + Duration.ofMillis(1500).toNanos();
            List<Future<Long>> warm = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                String channel = "warmup-" + c;
                warm.add(pool.submit(() -> send(http, emulator, token, channel, raw.length, body, warmup)));
            }
            long warmRows = 0;
            for (Future<Long> f : warm) {
                warmRows += f.get();
            }
            long warmTotal = warmRows;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> emulator.rowsCommitted() >= warmTotal);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long emulatorCpuStart = emulatorThreadsCpuNanos();
            Map<String, Long> groupsStart = emulatorThreadGroupsCpuNanos();
            long start = System.nanoTime();
            List<Future<Long>> sent = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                String channel = "bench-" + c;
                sent.add(pool.submit(() -> send(http, emulator, token, channel, raw.length, body, start)));
            }
            long rows = 0;
            for (Future<Long> f : sent) {
                rows += f.get();
            }
            pool.shutdown();
            long total = rows;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> emulator.rowsCommitted() >= total + warmTotal);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            double emulatorCpuSeconds = (emulatorThreadsCpuNanos() - emulatorCpuStart) / 1e9;
            double rate = total / seconds;
            double cpuRate = total / cpuSeconds;
            System.out.printf("[throughput] %d rides (%d B each raw, %d B/request compressed) over %d channels committed in %.2f s"
                    + " using %.2f CPU-s on %d cores: %.0f rows/s wall, %.0f rows per CPU-second of the JVM, %.0f rows per"
                    + " CPU-second of the emulator's own threads (%.2f CPU-s; GC and JIT not included) (load average %.1f)%n",
                    total, raw.length / ROWS_PER_REQUEST, body.length, CHANNELS, seconds, cpuSeconds,
                    Runtime.getRuntime().availableProcessors(), rate, cpuRate, total / emulatorCpuSeconds, emulatorCpuSeconds,
                    os.getSystemLoadAverage());
            Map<String, Long> groupsEnd = emulatorThreadGroupsCpuNanos();
            StringBuilder groups = new StringBuilder("[throughput] emulator CPU per ride by thread group:");
            groupsEnd.forEach((group, nanos) -> groups.append(String.format(" %s %.2f µs", group,
                    (nanos - groupsStart.getOrDefault(group, 0L)) / 1e3 / total)));
            System.out.println(groups);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(total + warmTotal);
            assertThat(cpuRate).isGreaterThan(50_000);
        }
    }

    /** CPU time of the emulator's live threads by group: "http" (Jetty, zstd, token checks), "mapper", "committer". */
    private static Map<String, Long> emulatorThreadGroupsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> sum = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("snowpipe-emulator-")) {
                String group = name.substring("snowpipe-emulator-".length()).split("-", 2)[0];
                sum.merge(group, Math.max(0, threads.getThreadCpuTime(t.getId())), Long::sum);
            }
        }
        return sum;
    }

    /** CPU time of the live threads whose name starts with "snowpipe-emulator" (HTTP, committer, mappers). */
    private static long emulatorThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("snowpipe-emulator")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    private static long send(HttpClient http, SnowpipeEmulator emulator, String token, String channel, int rawLength, byte[] body,
                             long start) throws Exception {
        String base = emulator.url() + "/v2/streaming";
        String path = "/databases/BENCH/schemas/PUBLIC/pipes/LIFT_RIDE-STREAMING/channels/" + channel;
        HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(base + path + "?requestId=1"))
                .header("Authorization", "Bearer " + token).header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        String continuation = JSON.readTree(opened.body()).get("next_continuation_token").asText();
        long rows = 0;
        long deadline = start + SEND_FOR.toNanos();
        for (int i = 1; System.nanoTime() < deadline && i < 1_000_000; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/data" + path + "/rows?offsetToken=" + i
                            + "&continuationToken=" + continuation + "&requestId=" + i))
                    .header("Authorization", "Bearer " + token).header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                    .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "zstd")
                    .header("x-snowflake-uncompressed-content-length", String.valueOf(rawLength))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 503) {
                // backpressure: back off briefly (the SDK waits >= 1 s), then the same token again
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS)).join();
                continue;
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String next = r.body();
            continuation = next.substring(next.indexOf(":\"") + 2, next.lastIndexOf('"'));
            rows += ROWS_PER_REQUEST;
        }
        return rows;
    }

    private static byte[] ndjson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] resorts = {"Zermatt", "Verbier", "St. Anton", "Val d'Isere", "Whistler Blackcomb"};
        for (int i = 0; i < ROWS_PER_REQUEST; i++) {
            Map<String, Object> ride = new LinkedHashMap<>();
            ride.put("RIDE_ID", 1_000_000 + i);
            ride.put("SKIER_ID", String.format("2f9c1a7e-0000-4000-8000-%012d", i));
            ride.put("RESORT", resorts[i % resorts.length]);
            ride.put("LIFT", "Lift " + (i % 23));
            ride.put("RIDE_TIME", "2026-01-02T09:" + String.format("%02d:%02d.%03d", i % 60, (i / 60) % 60, i % 1000));
            ride.put("PASS_TYPE", i % 3 == 0 ? "SEASON" : "DAY");
            ride.put("ELEVATION_M", 1500 + i % 1500);
            ride.put("WAIT_SECONDS", i % 600);
            out.write(JSON.writeValueAsBytes(ride));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The scoped-token exchange, as in ProtocolIT. */
    static final class ProtocolITTokens {
        static String scopedToken(SnowpipeEmulator emulator) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(emulator.url() + "/oauth/token?requestId=1"))
                    .header("Authorization", "Bearer " + TestSupport.keyPairJwt(emulator))
                    .header("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=x&scope=127.0.0.1", StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }
}
