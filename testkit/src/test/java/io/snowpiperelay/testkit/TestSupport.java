package io.snowpiperelay.testkit;

import static org.awaitility.Awaitility.await;

import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers of the emulator's integration tests: SQL, SDK clients, rows, a JWT minted like the SDK's. */
final class TestSupport {

    static final String SETUP_SQL = """
            CREATE DATABASE IF NOT EXISTS DB;
            CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.LIFT_RIDE (
              RIDE_ID NUMBER(38,0) NOT NULL,
              RESORT VARCHAR(20),
              LIFT VARCHAR,
              RIDE_TIME TIMESTAMP_NTZ
            );
            CREATE PIPE IF NOT EXISTS DB.PUBLIC.LIFT_RIDE_PIPE AS
              COPY INTO DB.PUBLIC.LIFT_RIDE FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))
              MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE;
            """;

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private TestSupport() {
    }

    static SnowpipeEmulator.Builder emulator() {
        return SnowpipeEmulator.builder()
                .sql(SETUP_SQL)
                .commitLag(Duration.ofMillis(100))
                .flushInterval(Duration.ofMillis(20));
    }

    static SnowflakeStreamingIngestClient client(SnowpipeEmulator emulator, String pipe) {
        return client(emulator.clientProperties(), "DB", "PUBLIC", pipe);
    }

    static SnowflakeStreamingIngestClient client(Properties props, String db, String schema, String pipe) {
        return SnowflakeStreamingIngestClientFactory
                .builder("it-client-" + CLIENTS.incrementAndGet(), db, schema, pipe)
                .setProperties(props)
                .build();
    }

    static Map<String, Object> ride(long id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ride_id", id);
        row.put("resort", "Zermatt");
        row.put("lift", "Matterhorn Express " + (id % 7));
        row.put("ride_time", "2026-01-02T03:04:05.123");
        return row;
    }

    static List<Map<String, Object>> rides(long fromId, int count) {
        List<Map<String, Object>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(ride(fromId + i));
        }
        return rows;
    }

    static void awaitCommitted(SnowflakeStreamingIngestChannel channel, String token) throws Exception {
        channel.waitForCommit(token::equals, WAIT).get();
    }

    /** Waits until the channel reports SFException with the given error name; returns it. */
    static SFException awaitChannelError(SnowflakeStreamingIngestChannel channel, String errorCodeName) {
        SFException[] seen = new SFException[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                channel.getLatestCommittedOffsetToken();
                return false;
            } catch (SFException e) {
                seen[0] = e;
                return errorCodeName.equals(e.getErrorCodeName());
            }
        });
        return seen[0];
    }

    /** Status and body of a raw HTTP/1.1 exchange. */
    record RawResponse(int status, String body) {
    }

    /**
     * Sends a request whose target is written to the socket exactly as given (java.net.http refuses a lone '%'
     * in the query, which the SDK does send).
     */
    static RawResponse rawHttp(int port, String method, String target, String bearer, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + bearer
                    + "\r\nX-Snowflake-Authorization-Token-Type: OAUTH\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                    + content.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(content);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            return new RawResponse(status, split < 0 ? "" : response.substring(split + 4));
        }
    }

    /** A key-pair JWT as the SDK mints it (RS256, iat/exp in ms). */
    static String keyPairJwt(SnowpipeEmulator emulator) throws Exception {
        String pem = emulator.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        String fingerprint = io.snowpiperelay.testkit.internal.Keys.fingerprint(
                io.snowpiperelay.testkit.internal.Keys.parsePublicKey(emulator.publicKeyPem()));
        long now = System.currentTimeMillis();
        String account = emulator.account().toUpperCase();
        String user = emulator.user().toUpperCase();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + account + "." + user + "." + fingerprint + "\",\"sub\":\""
                + account + "." + user + "\",\"iat\":" + now + ",\"exp\":" + (now + 3_540_000) + "}").getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(s.sign());
    }
}
