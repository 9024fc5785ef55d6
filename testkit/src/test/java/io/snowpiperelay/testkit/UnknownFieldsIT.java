package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A field that matches no column is dropped, the row lands and nothing is reported, as Snowflake does under
 * MATCH_BY_COLUMN_NAME (docs/emulator.md, "Fields that match no column"): the rest of the row is stored, the row is
 * not counted as an error.
 */
class UnknownFieldsIT {

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(TestSupport.emulator());

    @Test
    void aFieldThatMatchesNoColumnIsDroppedAndTheRowLandsWithoutAnError() throws Exception {
        SnowpipeEmulator emulator = EMULATOR.emulator();
        try (SnowflakeStreamingIngestClient client = TestSupport.client(emulator, "LIFT_RIDE_PIPE")) {
            SnowflakeStreamingIngestChannel channel = client.openChannel("UNKNOWN_FIELDS", null).getChannel();
            Map<String, Object> row = new LinkedHashMap<>(TestSupport.ride(1));
            row.put("NOPE", 1);
            row.put("also_not_a_column", "x");
            channel.appendRows(List.of(row, TestSupport.ride(2)), "1", "2");
            TestSupport.awaitCommitted(channel, "2");

            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(2);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE WHERE RIDE_ID = 1"
                    + " AND RESORT = 'Zermatt'")).as("the known fields of the row landed").isEqualTo(1);
            assertThat(channel.getChannelStatus().getRowsErrorCount()).as("not a row error").isZero();
            channel.close();
        }
    }
}
