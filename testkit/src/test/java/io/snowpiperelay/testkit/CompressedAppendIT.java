package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Appends with zstd bodies, sent directly (not through the SDK): a frame that does not decompress is answered
 * with 400 when it arrives, although the emulator keeps good frames compressed until their commit; the rows
 * of good frames (several channels, several requests) are all stored.
 */
class CompressedAppendIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badFramesAreRejectedOnArrivalAndGoodFramesAreStoredAfterTheirCommit() throws Exception {
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().sql("""
                CREATE DATABASE D;
                CREATE TABLE D.PUBLIC.T (N NUMBER NOT NULL, S VARCHAR, V VARIANT);
                """).start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String token = EmulatorThroughputIT.ProtocolITTokens.scopedToken(emulator);
            String base = emulator.url() + "/v2/streaming";
            String path = "/databases/D/schemas/PUBLIC/pipes/T-STREAMING/channels/";
            String[] continuation = new String[2];
            for (int c = 0; c < 2; c++) {
                HttpResponse<String> opened = http.send(request(base + path + "c" + c + "?requestId=1", token)
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                continuation[c] = JSON.readTree(opened.body()).get("next_continuation_token").asText();
            }
            byte[] good = ndjson(0, 300);
            byte[] frame = Zstd.compress(good, 3);
            byte[] corrupt = frame.clone();
            for (int i = frame.length / 2; i < frame.length / 2 + 16; i++) {
                corrupt[i] ^= 0x5A;
            }
            // A frame that does not decompress is the client's error: 400, nothing of it kept.
            HttpResponse<String> bad = append(http, base + path + "c0", token, continuation[0], 1, corrupt, good.length);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("Data corruption detected");
            HttpResponse<String> lying = append(http, base + path + "c0", token, continuation[0], 1, frame, good.length - 1);
            assertThat(lying.statusCode()).isEqualTo(400);
            assertThat(lying.body()).contains("Destination buffer is too small");

            int n = 0;
            for (int request = 1; request <= 3; request++) {
                for (int c = 0; c < 2; c++) {
                    byte[] rows = ndjson(n, 300);
                    n += 300;
                    HttpResponse<String> ok = append(http, base + path + "c" + c, token, continuation[c], request,
                            Zstd.compress(rows, 3), rows.length);
                    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                    continuation[c] = JSON.readTree(ok.body()).get("next_continuation_token").asText();
                }
            }
            int total = n;
            await().atMost(TestSupport.WAIT).until(() -> emulator.rowsCommitted() >= total);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM T")).isEqualTo(total);
            assertThat(emulator.queryForLong("SELECT SUM(N) FROM T")).isEqualTo((long) total * (total - 1) / 2);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM T WHERE json_extract(V, '$.n') = N AND S = 'row ' || N"))
                    .isEqualTo(total);
        }
    }

    private static HttpRequest.Builder request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("X-Snowflake-Authorization-Token-Type", "OAUTH");
    }

    private static HttpResponse<String> append(HttpClient http, String channelUrl, String token, String continuation,
                                               int offset, byte[] frame, int uncompressedLength) throws Exception {
        return http.send(request(channelUrl.replace("/v2/streaming/", "/v2/streaming/data/") + "/rows?offsetToken=" + offset
                        + "&continuationToken=" + continuation + "&requestId=" + offset, token)
                .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "zstd")
                .header("x-snowflake-uncompressed-content-length", String.valueOf(uncompressedLength))
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] ndjson(int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            sb.append("{\"N\":").append(i).append(",\"S\":\"row ").append(i).append("\",\"V\":{\"n\":").append(i)
                    .append(",\"tags\":[\"a\",\"b\"]}}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
