package io.snowpiperelay.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.internal.RawJsonRow;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw JSON rows through the real SDK: the SDK in use passes the check that lets the relay send rows as their own
 * bytes, and rows sent that way land with the same values as the same rows sent as maps.
 */
class RawJsonRowIT {
    private static final String SQL = """
            CREATE DATABASE IF NOT EXISTS DB;
            CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.T (ID NUMBER(38,0) NOT NULL, PRICE DECIMAL(7,2), NAME VARCHAR(32),
                DAY DATE, ADDRESS VARIANT);
            """;

    private SnowpipeEmulator emulator;
    private SnowflakeStreamingIngestClient client;

    @BeforeEach
    void start() {
        emulator = SnowpipeEmulator.builder().sql(SQL).commitLag(Duration.ofMillis(50)).start();
        client = SnowflakeStreamingIngestClientFactory.builder("raw-it", "DB", "PUBLIC", "T-STREAMING")
                .setProperties(emulator.clientProperties()).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        emulator.close();
    }

    @Test
    void theSdkInUseWritesRawRowsAsTheirBytesAndTheyLandLikeMaps() {
        SnowflakeStreamingIngestChannel channel = client.openChannel("raw", null).getChannel();
        assertThat(RawRowSupport.supported(channel)).as("raw rows with this SDK").isTrue();

        String[] payloads = {
                "{\"ID\":1,\"PRICE\":12.5,\"NAME\":\"Zo\u00eb \\\"Z\\\"\",\"DAY\":\"2026-12-02\",\"ADDRESS\":{\"city\":\"Aspen\",\"zip\":[81611]}}",
                " {\"ID\": 2, \"PRICE\": \"7.125\", \"NAME\": \"\\u00e9\u20ac\", \"ADDRESS\": null} ",
                "{\"ID\":3,\n \"NAME\":\"pretty\"}",            // two lines: sent as a map
                "{\"ID\":4,\"NAME\":\"x\",\"NAME\":\"last\"}"};  // a repeated key: sent as a map
        RowConverter converter = new RowConverter(1 << 20);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            RowConverter.Result out = new RowConverter.Result();
            assertThat(converter.convert(SourceRecord.ofJsonUtf8(i + 1, payloads[i].getBytes(StandardCharsets.UTF_8)),
                    out)).as(out.failure).isTrue();
            rows.add(out.row);
        }
        assertThat(rows).extracting(r -> r instanceof RawJsonRow).containsExactly(true, true, false, false);

        new SdkChannelPort(channel).appendRows(rows, "1", "4");
        await().atMost(Duration.ofSeconds(30)).until(() -> "4".equals(channel.getLatestCommittedOffsetToken()));

        assertThat(emulator.query("SELECT ID, PRICE, NAME, DAY, json_extract(ADDRESS, '$.city') AS CITY "
                + "FROM T ORDER BY ID")).containsExactly(
                row(1, 12.5, "Zo\u00eb \"Z\"", "2026-12-02", "Aspen"),
                row(2, 7.13, "\u00e9\u20ac", null, null),
                row(3, null, "pretty", null, null),
                row(4, null, "last", null, null));
        assertThat(channel.getChannelStatus().getRowsErrorCount()).isZero();
    }

    private static Map<String, Object> row(int id, Double price, String name, String day, String city) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("ID", id);
        row.put("PRICE", price);
        row.put("NAME", name);
        row.put("DAY", day);
        row.put("CITY", city);
        return row;
    }
}
