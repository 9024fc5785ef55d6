package io.snowpiperelay.testkit;

import static io.snowpiperelay.testkit.TestSupport.awaitChannelError;
import static io.snowpiperelay.testkit.TestSupport.awaitCommitted;
import static io.snowpiperelay.testkit.TestSupport.client;
import static io.snowpiperelay.testkit.TestSupport.ride;
import static io.snowpiperelay.testkit.TestSupport.rides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.snowflake.ingest.streaming.ChannelStatus;
import com.snowflake.ingest.streaming.OpenChannelResult;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import io.snowpiperelay.testkit.internal.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real SDK against one shared emulator: the happy path, channel lifecycle, row errors, auth, and each fact of the
 * quick reference (§0) of snowpipe-streaming-protocol.md.
 */
class ProtocolIT {

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(TestSupport.emulator());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SnowflakeStreamingIngestClient client;

    @BeforeAll
    static void buildClient() {
        client = client(EMULATOR.emulator(), "LIFT_RIDE_PIPE");
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    private static SnowpipeEmulator emulator() {
        return EMULATOR.emulator();
    }

    private static long count(String where) {
        return emulator().queryForLong("SELECT COUNT(*) FROM LIFT_RIDE WHERE " + where);
    }

    @Test
    void appendedRowsAreCommittedAndQueryable() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("basic", null).getChannel();
        for (long id = 1; id <= 10; id++) {
            channel.appendRow(ride(id), String.valueOf(id));
        }
        channel.appendRows(rides(11, 990), "11", "1000");
        awaitCommitted(channel, "1000");

        assertThat(count("RIDE_ID BETWEEN 1 AND 1000")).isEqualTo(1000);
        Map<String, Object> row = emulator().query("SELECT * FROM LIFT_RIDE WHERE RIDE_ID = 7").get(0);
        assertThat(row).containsEntry("RESORT", "Zermatt").containsEntry("LIFT", "Matterhorn Express 0");
        assertThat(client.getLatestCommittedOffsetTokens(List.of("basic"))).containsEntry("basic", "1000");
        ChannelStatus status = channel.getChannelStatus();
        assertThat(status.getStatusCode()).isEqualTo("SUCCESS");
        assertThat(status.getRowsInsertedCount()).isEqualTo(1000);
        assertThat(status.getRowsErrorCount()).isZero();
        assertThat(emulator().committedOffsetToken("db", "public", "lift_ride_pipe", "basic")).contains("1000");
        channel.close();
    }

    /**
     * A backlog of due appends larger than one commit (the committer writes at most 4 MiB per transaction, and
     * converts the next set while it writes the current one) still lands whole and in append order per channel.
     */
    @Test
    void aBacklogLargerThanOneCommitLandsWholeAndInAppendOrder() throws Exception {
        int batches = 30;
        int rowsPerBatch = 2_000;
        List<SnowflakeStreamingIngestChannel> channels = List.of(client.openChannel("backlog-a", null).getChannel(),
                client.openChannel("backlog-b", null).getChannel());
        emulator().stallCommits(Duration.ofMinutes(5));
        try {
            for (int c = 0; c < channels.size(); c++) {
                long first = 10_000_000L * (c + 1);
                for (int b = 0; b < batches; b++) {
                    long from = first + (long) b * rowsPerBatch;
                    channels.get(c).appendRows(rides(from, rowsPerBatch), String.valueOf(from),
                            String.valueOf(from + rowsPerBatch - 1));
                }
            }
            for (SnowflakeStreamingIngestChannel channel : channels) {
                channel.waitForFlush(TestSupport.WAIT).get();
            }
        } finally {
            emulator().resumeCommits();
        }
        for (int c = 0; c < channels.size(); c++) {
            long first = 10_000_000L * (c + 1);
            long last = first + (long) batches * rowsPerBatch - 1;
            awaitCommitted(channels.get(c), String.valueOf(last));
            String range = "RIDE_ID BETWEEN " + first + " AND " + last;
            assertThat(count(range)).isEqualTo((long) batches * rowsPerBatch);
            assertThat(emulator().queryForLong("SELECT COUNT(DISTINCT RIDE_ID) FROM LIFT_RIDE WHERE " + range))
                    .isEqualTo((long) batches * rowsPerBatch);
            assertThat(emulator().queryForLong("SELECT COUNT(*) FROM (SELECT RIDE_ID, LAG(RIDE_ID) OVER (ORDER BY rowid)"
                    + " AS previous FROM LIFT_RIDE WHERE " + range + ") WHERE previous >= RIDE_ID"))
                    .as("rows stored out of append order").isZero();
            channels.get(c).close();
        }
    }

    /** With the emulator's client properties the SDK sends plain NDJSON: no zstd frame to make and unpack. */
    @Test
    void theEmulatorsPropertiesSendAppendsUncompressed() throws Exception {
        emulator().clearRecordedRequests();
        SnowflakeStreamingIngestChannel channel = client.openChannel("plain", null).getChannel();
        channel.appendRows(rides(7_000_000, 20), "7000000", "7000019");
        awaitCommitted(channel, "7000019");
        RecordedRequest append = emulator().takeRequest(Endpoint.APPEND, Duration.ofSeconds(5));
        assertThat(append).isNotNull();
        assertThat(append.header("Content-Encoding")).isIn(null, "", "identity");
        String body = new String(append.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).startsWith("{").contains("\"ride_id\":7000000");
        assertThat(count("RIDE_ID BETWEEN 7000000 AND 7000019")).isEqualTo(20);
        channel.close();
    }

    /** §0.5: one appendRows just under 1 MiB, with the SDK's default properties, stays inline. */
    @Test
    void oneAppendJustUnderOneMebibyteStaysInlineWithDefaultProperties() throws Exception {
        Properties defaults = emulator().clientProperties();
        SnowpipeEmulator.EMULATOR_SAFE_SDK_PROPERTIES.keySet().forEach(defaults::remove);
        List<Map<String, Object>> rows = new ArrayList<>();
        long bytes = 0;
        long id = 100_000;
        while (true) {
            Map<String, Object> row = ride(id);
            row.put("lift", "x".repeat(900));
            long size = JSON.writeValueAsBytes(row).length + 1;
            if (bytes + size > 1_000_000) {
                break;
            }
            bytes += size;
            rows.add(row);
            id++;
        }
        emulator().clearRecordedRequests();
        try (SnowflakeStreamingIngestClient plain = client(defaults, "DB", "PUBLIC", "LIFT_RIDE_PIPE")) {
            SnowflakeStreamingIngestChannel channel = plain.openChannel("big", null).getChannel();
            channel.appendRows(rows, "first", "big-1");
            awaitCommitted(channel, "big-1");
        }
        assertThat(count("RIDE_ID >= 100000 AND RIDE_ID < 200000")).isEqualTo(rows.size());
        RecordedRequest append = emulator().takeRequest(Endpoint.APPEND, Duration.ofSeconds(5));
        assertThat(append).isNotNull();
        assertThat((long) append.body().length).isBetween(990_000L, 1_000_000L);
        assertThat(append.header("Content-Encoding")).isEqualTo("zstd");
    }

    /** A re-open bumps the sequencer: the older instance is fenced and what it had not committed is discarded. */
    @Test
    void reopenFencesTheOlderInstanceAndDiscardsItsUncommittedRows() throws Exception {
        SnowflakeStreamingIngestChannel first = client.openChannel("rewind", null).getChannel();
        first.appendRows(rides(2001, 10), "2001", "2010");
        awaitCommitted(first, "2010");

        emulator().stallCommits(Duration.ofMinutes(5));
        try {
            first.appendRows(rides(2011, 10), "2011", "2020");
            first.waitForFlush(TestSupport.WAIT).get();
            try (SnowflakeStreamingIngestClient second = client(emulator(), "LIFT_RIDE_PIPE")) {
                OpenChannelResult reopened = second.openChannel("rewind", null);
                assertThat(reopened.getChannelStatus().getLatestCommittedOffsetToken()).isEqualTo("2010");
                assertThat(reopened.getChannelStatus().getRowsInsertedCount()).as("counts are cumulative across re-opens")
                        .isEqualTo(10);
                emulator().resumeCommits();
                // the rows 2011..2020 of the first instance never land
                await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                        .until(() -> count("RIDE_ID BETWEEN 2011 AND 2020") == 0);

                // the first instance's next append gets 400 STALE_CONTINUATION_TOKEN_SEQUENCER
                first.appendRow(ride(2021), "2021");
                SFException fenced = awaitChannelError(first, "InvalidChannelError");
                System.out.println("[facts] stale sequencer reaches Java as: " + fenced.getErrorCodeName() + " / "
                        + fenced.getHttpStatusCode() + " / " + fenced.getMessage());
                assertThat(first.isClosed()).isFalse();

                SnowflakeStreamingIngestChannel current = reopened.getChannel();
                current.appendRows(rides(2011, 10), "2011", "2020");
                awaitCommitted(current, "2020");
                await().atMost(TestSupport.WAIT).until(() -> current.getChannelStatus().getRowsInsertedCount() == 20);
                assertThat(count("RIDE_ID BETWEEN 2001 AND 2021")).isEqualTo(20);
                assertThat(emulator().channel("DB", "PUBLIC", "LIFT_RIDE_PIPE", "rewind").orElseThrow().clientSequencer())
                        .isEqualTo(2);
            }
        } finally {
            emulator().resumeCommits();
            first.close();
        }
    }

    @Test
    void openWithOffsetTokenSetsTheCommittedToken() {
        OpenChannelResult result = client.openChannel("preset", "42");
        assertThat(result.getChannelStatus().getLatestCommittedOffsetToken()).isEqualTo("42");
        assertThat(emulator().committedOffsetToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "preset")).contains("42");
        result.getChannel().close();
    }

    @Test
    void dropChannelForgetsItAndClosesTheLocalChannel() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("dropme", null).getChannel();
        channel.appendRow(ride(3001), "3001");
        awaitCommitted(channel, "3001");
        client.dropChannel("dropme");
        assertThat(channel.isClosed()).isTrue();
        assertThat(emulator().channel("DB", "PUBLIC", "LIFT_RIDE_PIPE", "dropme")).isEmpty();
        assertThatThrownBy(() -> channel.appendRow(ride(3002), "3002"))
                .isInstanceOfSatisfying(SFException.class, e -> assertThat(e.getErrorCodeName()).isEqualTo("ClosedChannelError"));
        OpenChannelResult again = client.openChannel("dropme", null);
        assertThat(again.getChannelStatus().getLatestCommittedOffsetToken()).isNull();
        assertThat(again.getChannelStatus().getRowsInsertedCount()).isZero();
        again.getChannel().close();
    }

    /** Bad rows are counted (ON_ERROR = CONTINUE), good rows of the same request are stored, the token commits. */
    @Test
    void rowErrorsAreCountedAndGoodRowsStored() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("errors", null).getChannel();
        List<Map<String, Object>> rows = new ArrayList<>(rides(4001, 5));
        Map<String, Object> tooLong = ride(4006);
        tooLong.put("resort", "a resort name far longer than twenty characters");
        Map<String, Object> missingId = ride(4007);
        missingId.put("ride_id", null);
        rows.add(tooLong);
        rows.add(missingId);
        channel.appendRows(rows, "e0", "e1");
        awaitCommitted(channel, "e1");
        channel.appendRows(rides(4008, 3), "e2", "e3");
        awaitCommitted(channel, "e3");

        assertThat(count("RIDE_ID BETWEEN 4001 AND 4010")).isEqualTo(8);
        await().atMost(TestSupport.WAIT).until(() -> channel.getChannelStatus().getRowsInsertedCount() == 8);
        ChannelStatus status = channel.getChannelStatus();
        assertThat(status.getStatusCode()).isEqualTo("SUCCESS");
        assertThat(status.getRowsErrorCount()).isEqualTo(2);
        assertThat(status.getRowsParsedCount()).isEqualTo(10);
        assertThat(status.getLastErrorOffsetTokenUpperBound()).isEqualTo("e1");
        assertThat(status.getLastErrorMessage()).isNotBlank();
        assertThat(status.getLastErrorTimestamp()).isNotNull();
        System.out.println("[facts] last_error_message: " + status.getLastErrorMessage());
        channel.close();
    }

    @Test
    void wrongPrivateKeyFailsTheBuild() {
        Properties props = emulator().clientProperties();
        props.setProperty("private_key", Keys.privateKeyPem(Keys.generate().getPrivate()));
        assertThatThrownBy(() -> client(props, "DB", "PUBLIC", "LIFT_RIDE_PIPE").close())
                .isInstanceOfSatisfying(SFException.class, e -> {
                    System.out.println("[facts] wrong key: " + e.getErrorCodeName() + " / " + e.getMessage());
                    assertThat(e.getErrorCodeName()).isIn("SfApiAuthError", "AuthTokenError");
                });
    }

    @Test
    void unknownPipeFailsTheBuildWithSnowflakesError() {
        assertThatThrownBy(() -> client(emulator(), "NO_SUCH_PIPE").close())
                .isInstanceOfSatisfying(SFException.class, e -> {
                    System.out.println("[facts] unknown pipe: " + e.getErrorCodeName() + " / " + e.getMessage());
                    assertThat(e.getMessage()).contains("ERR_PIPE_DOES_NOT_EXIST_OR_NOT_AUTHORIZED");
                });
    }

    @Test
    void defaultPipeOfATableWorksCaseInsensitively() throws Exception {
        try (SnowflakeStreamingIngestClient c = client(emulator().clientProperties(), "db", "public", "LIFT_RIDE-STREAMING")) {
            SnowflakeStreamingIngestChannel channel = c.openChannel("default-pipe", null).getChannel();
            channel.appendRow(Map.of("RIDE_ID", 5001, "Resort", "Verbier"), "1");
            awaitCommitted(channel, "1");
        }
        assertThat(emulator().query("SELECT RESORT FROM LIFT_RIDE WHERE RIDE_ID = 5001").get(0)).containsEntry("RESORT", "Verbier");
    }

    /** Keys registered by SQL (CREATE USER … RSA_PUBLIC_KEY) authenticate another user's SDK client. */
    @Test
    void userKeyRegisteredBySqlAuthenticatesTheSdk() throws Exception {
        java.security.KeyPair loader = Keys.generate();
        emulator().executeSql("CREATE USER IF NOT EXISTS LOADER RSA_PUBLIC_KEY = '" + Keys.publicKeyBase64(loader.getPublic()) + "';");
        Properties props = emulator().clientProperties();
        props.setProperty("user", "loader");
        props.setProperty("private_key", Keys.privateKeyPem(loader.getPrivate()));
        try (SnowflakeStreamingIngestClient c = client(props, "DB", "PUBLIC", "LIFT_RIDE_PIPE")) {
            SnowflakeStreamingIngestChannel channel = c.openChannel("loader", null).getChannel();
            channel.appendRow(ride(9501), "9501");
            awaitCommitted(channel, "9501");
        }
        props.setProperty("private_key", emulator().privateKeyPem()); // RELAY's key is not LOADER's
        assertThatThrownBy(() -> client(props, "DB", "PUBLIC", "LIFT_RIDE_PIPE").close())
                .isInstanceOfSatisfying(SFException.class, e -> assertThat(e.getErrorCodeName()).isEqualTo("SfApiAuthError"));
    }

    /** A pipe whose table was dropped: 404 ERR_TABLE_DOES_NOT_EXIST_NOT_AUTHORIZED, the SDK's build fails clearly. */
    @Test
    void pipeWhoseTableWasDroppedFailsWithSnowflakesError() {
        emulator().executeSql("""
                CREATE TABLE DB.PUBLIC.DOOMED (ID NUMBER);
                CREATE PIPE DB.PUBLIC.DOOMED_PIPE AS COPY INTO DB.PUBLIC.DOOMED FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'));
                DROP TABLE DB.PUBLIC.DOOMED;
                """);
        assertThatThrownBy(() -> client(emulator(), "DOOMED_PIPE").close())
                .isInstanceOfSatisfying(SFException.class, e ->
                        assertThat(e.getMessage()).contains("HTTP 404", "ERR_TABLE_DOES_NOT_EXIST_NOT_AUTHORIZED", "DOOMED"));
    }

    /** §0.1: http://127.0.0.1 works (every other test), localhost is rejected by the SDK at build. */
    @Test
    void localhostUrlIsRejectedByTheSdk() {
        Properties props = emulator().clientProperties();
        props.setProperty("url", "http://localhost:" + emulator().port());
        assertThatThrownBy(() -> client(props, "DB", "PUBLIC", "LIFT_RIDE_PIPE").close())
                .isInstanceOfSatisfying(SFException.class, e -> assertThat(e.getErrorCodeName()).isEqualTo("ConfigError"));
    }

    /** §0.2, §0.3: hostname and scoped token are bare text; the token's exp is in seconds. */
    @Test
    void hostnameAndTokenAreBareText() throws Exception {
        String jwt = TestSupport.keyPairJwt(emulator());
        HttpResponse<String> hostname = HTTP.send(HttpRequest.newBuilder(URI.create(emulator().url() + "/v2/streaming/hostname?requestId=1"))
                .header("Authorization", "Bearer " + jwt).header("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(hostname.statusCode()).isEqualTo(200);
        assertThat(hostname.body()).isEqualTo("127.0.0.1");

        String token = scopedToken();
        assertThat(token.split("\\.")).hasSize(3);
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(payload.get("exp").isIntegralNumber()).isTrue();
        long now = System.currentTimeMillis() / 1000;
        assertThat(payload.get("exp").asLong()).isBetween(now + 3000, now + 3700);

        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(emulator().url() + "/v2/streaming/hostname"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("message").asText()).startsWith("JWT token is invalid");
    }

    /** §0.4: the SDK's key-pair JWT carries iat/exp in milliseconds (and is verified against the registered key). */
    @Test
    void sdkKeyPairJwtCarriesMilliseconds() throws Exception {
        emulator().clearRecordedRequests();
        try (SnowflakeStreamingIngestClient c = client(emulator(), "LIFT_RIDE_PIPE")) {
            RecordedRequest hostname = emulator().takeRequest(Endpoint.HOSTNAME, Duration.ofSeconds(5));
            assertThat(hostname).isNotNull();
            assertThat(hostname.header("X-Snowflake-Authorization-Token-Type")).isEqualTo("KEYPAIR_JWT");
            String jwt = hostname.header("Authorization").substring("Bearer ".length());
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            assertThat(payload.get("iat").asLong()).isGreaterThan(1_000_000_000_000L);
            assertThat(payload.get("exp").asLong() - payload.get("iat").asLong()).isEqualTo(3_540_000L);
            assertThat(payload.get("iss").asText()).isEqualTo("EMULATOR.RELAY."
                    + Keys.fingerprint(Keys.parsePublicKey(emulator().publicKeyPem())));
            RecordedRequest info = emulator().takeRequest(Endpoint.PIPE_INFO, Duration.ofSeconds(5));
            assertThat(info.header("X-Snowflake-Authorization-Token-Type")).isEqualTo("OAUTH");
        }
    }

    /** §0.6, §0.7: pipe-info asks for short flushes, has a 32-byte key and never says SWITCH_TO_FILE_MODE. */
    @Test
    void pipeInfoAsksForShortFlushes() throws Exception {
        HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(URI.create(emulator().url()
                        + "/v2/streaming/databases/DB/schemas/PUBLIC/pipes/LIFT_RIDE_PIPE:pipe-info?requestId=2"))
                .header("Authorization", "Bearer " + scopedToken()).header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                .POST(HttpRequest.BodyPublishers.ofString("{\"generate_new_token\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(info.body());
        assertThat(body.at("/parameter_overrides/max_append_request_buffer_duration_ms").asLong()).isEqualTo(20);
        assertThat(Base64.getDecoder().decode(body.at("/encryption_info/pipe_key").asText())).hasSize(32);
        assertThat(body.at("/stage_location/expiry_time_ms").asLong()).isGreaterThan(System.currentTimeMillis() + 3_000_000);
        assertThat(info.body()).doesNotContain("SWITCH_TO_FILE_MODE");
        for (int status = 400; status < 600; status++) {
            assertThat(Fault.status(status).message() + Fault.status(status).errorCode()).doesNotContain("SWITCH_TO_FILE_MODE");
        }
        // and the SDK really flushes at that period: the first append arrives well before its default 1 s grid
        emulator().clearRecordedRequests();
        SnowflakeStreamingIngestChannel channel = client.openChannel("flush-period", null).getChannel();
        long opened = System.nanoTime();
        channel.appendRow(ride(6001), "1");
        assertThat(emulator().takeRequest(Endpoint.APPEND, Duration.ofSeconds(5))).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofMillis(900));
        channel.close();
    }

    /** §0.8 (non-retryable 4xx on append → channel invalid) is in FaultsIT; §0.10: raw query characters. */
    @Test
    void offsetTokensWithRawQueryCharactersSurvive() throws Exception {
        String token = "a b&c=d/é+%1";
        SnowflakeStreamingIngestChannel channel = client.openChannel("raw-query", null).getChannel();
        channel.appendRow(ride(7001), token);
        awaitCommitted(channel, token);
        assertThat(emulator().committedOffsetToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "raw-query")).contains(token);
        channel.close();
    }

    /** §0.9, §0.11: bulk status is keyed by exactly the requested names; unknown names are just absent. */
    @Test
    void bulkStatusIsKeyedByTheRequestedNames() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("MiXeD Case/é", null).getChannel();
        channel.appendRow(ride(8001), "8001");
        awaitCommitted(channel, "8001");
        Map<String, ChannelStatus> statuses = client.getChannelStatus(List.of("MiXeD Case/é", "never-opened"))
                .getChannelStatusBatch();
        assertThat(statuses.get("MiXeD Case/é").getStatusCode()).isEqualTo("SUCCESS");
        assertThat(statuses.get("MiXeD Case/é").getLatestCommittedOffsetToken()).isEqualTo("8001");
        assertThat(statuses.get("never-opened").getStatusCode()).isEqualTo("ERR_CHANNEL_DOES_NOT_EXIST_OR_NOT_AUTHORIZED");
        assertThat(client.getLatestCommittedOffsetTokens(List.of("never-opened"))).containsEntry("never-opened", null);
        // the client is still valid after that
        client.openChannel("after-bulk", null).getChannel().close();
        channel.close();
    }

    /** Raw protocol: duplicate of the last applied request is idempotent; a stale sequencer gets Snowflake's 400. */
    @Test
    void duplicateAppendIsIdempotentAndStaleSequencerIsRejected() throws Exception {
        String base = emulator().url() + "/v2/streaming";
        String channelPath = "/databases/DB/schemas/PUBLIC/pipes/LIFT_RIDE_PIPE/channels/raw";
        String token = scopedToken();
        JsonNode opened = JSON.readTree(send("PUT", base + channelPath + "?requestId=1", token, "{}").body());
        String t0 = opened.get("next_continuation_token").asText();
        assertThat(t0).matches("[A-Za-z0-9_.-]+");
        assertThat(opened.at("/channel_status/channel_status_code").asText()).isEqualTo("SUCCESS");

        String rows = JSON.writeValueAsString(ride(9001)) + "\n";
        String append = base + "/data" + channelPath + "/rows?offsetToken=9001&continuationToken=" + t0 + "&requestId=2";
        HttpResponse<String> first = send("POST", append, token, rows);
        HttpResponse<String> retry = send("POST", append, token, rows);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        await().atMost(TestSupport.WAIT).until(() ->
                emulator().committedOffsetToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "raw").orElse("").equals("9001"));
        assertThat(count("RIDE_ID = 9001")).isEqualTo(1);

        // lone '%' and raw '&' in the query do not break the server
        String t1 = JSON.readTree(first.body()).get("next_continuation_token").asText();
        TestSupport.RawResponse odd = TestSupport.rawHttp(emulator().port(), "POST", "/v2/streaming/data" + channelPath
                + "/rows?offsetToken=100%&x=y+z&continuationToken=" + t1 + "&requestId=3", token,
                JSON.writeValueAsString(ride(9002)) + "\n");
        assertThat(odd.status()).isEqualTo(200);
        await().atMost(TestSupport.WAIT).until(() ->
                emulator().committedOffsetToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "raw").orElse("").equals("100%&x=y+z"));

        send("PUT", base + channelPath + "?requestId=4", token, "{}");
        HttpResponse<String> stale = send("POST", append.replace(t0, JSON.readTree(odd.body()).get("next_continuation_token").asText()),
                token, rows);
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(stale.body()).get("error_code").asText()).isEqualTo("STALE_CONTINUATION_TOKEN_SEQUENCER");
        assertThat(JSON.readTree(stale.body()).get("message").asText())
                .isEqualTo("Channel sequencer in the continuation token is stale. Please reopen the channel");

        HttpResponse<String> unknownToken = send("POST", base + channelPath.replace("LIFT_RIDE_PIPE", "NOPE") + "?requestId=5",
                "not-a-token", "{}");
        assertThat(unknownToken.statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url.replace(" ", "%20")))
                .header("Authorization", "Bearer " + token).header("X-Snowflake-Authorization-Token-Type", "OAUTH")
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String scopedToken() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator().url() + "/oauth/token?requestId=3"))
                .header("Authorization", "Bearer " + TestSupport.keyPairJwt(emulator()))
                .header("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=x&scope=127.0.0.1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
