package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * End-to-end rate with the real SDK as the sender, in one JVM with the emulator (as tests run it): 4 channels,
 * {@code appendRows} of 500 pre-built lift rides (~200 B) as fast as the SDK accepts them for {@code -Dseconds}
 * (default 10), then wait until everything is committed. Off by default (it saturates the machine):
 * {@code mvn -pl testkit verify -Dtest=none -Dit.test=SdkThroughputIT -Dbenchmark=true -DargLine=-XX:+UseParallelGC}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class SdkThroughputIT {

    private static final int CHANNELS = 4;
    private static final int BATCH = 500;

    @Test
    void sdkToEmulatorRidesPerSecond() throws Exception {
        long seconds = Long.getLong("seconds", 10);
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().recordRequests(false).sql("""
                CREATE DATABASE BENCH;
                CREATE TABLE BENCH.PUBLIC.LIFT_RIDE (RIDE_ID NUMBER NOT NULL, SKIER_ID VARCHAR(36), RESORT VARCHAR(50),
                  LIFT VARCHAR(50), RIDE_TIME TIMESTAMP_NTZ, PASS_TYPE VARCHAR(10), ELEVATION_M NUMBER(5,0),
                  WAIT_SECONDS NUMBER(5,0));
                """).start();
             SnowflakeStreamingIngestClient client = TestSupport.client(emulator.clientProperties(), "BENCH", "PUBLIC",
                     "LIFT_RIDE-STREAMING")) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                Map<String, Object> ride = new LinkedHashMap<>();
                ride.put("RIDE_ID", 1_000_000 + i);
                ride.put("SKIER_ID", String.format("2f9c1a7e-0000-4000-8000-%012d", i));
                ride.put("RESORT", "Zermatt");
                ride.put("LIFT", "Lift " + (i % 23));
                ride.put("RIDE_TIME", "2026-01-02T09:12:34.567");
                ride.put("PASS_TYPE", i % 3 == 0 ? "SEASON" : "DAY");
                ride.put("ELEVATION_M", 1500 + i);
                ride.put("WAIT_SECONDS", i % 600);
                batch.add(ride);
            }
            ExecutorService pool = Executors.newFixedThreadPool(CHANNELS);
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(seconds).toNanos();
            List<SnowflakeStreamingIngestChannel> channels = new ArrayList<>();
            List<Future<Long>> lastTokens = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++) {
                SnowflakeStreamingIngestChannel channel = client.openChannel("bench-" + c, null).getChannel();
                channels.add(channel);
                lastTokens.add(pool.submit(() -> {
                    long token = 0;
                    while (System.nanoTime() < deadline) {
                        channel.appendRows(batch, String.valueOf(token + 1), String.valueOf(token + BATCH));
                        token += BATCH;
                    }
                    return token;
                }));
            }
            long total = 0;
            for (int c = 0; c < CHANNELS; c++) {
                long last = lastTokens.get(c).get();
                total += last;
                String expected = String.valueOf(last);
                channels.get(c).waitForCommit(expected::equals, Duration.ofMinutes(5)).get();
            }
            pool.shutdown();
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("[sdk-throughput] %d rides appended for %d s over %d channels, all committed after %.1f s:"
                    + " %.0f rows/s end-to-end%n", total, seconds, CHANNELS, elapsed, total / elapsed);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(total);
        }
    }
}
