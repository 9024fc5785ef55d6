package io.snowpiperelay.testkit;

import static io.snowpiperelay.testkit.TestSupport.awaitChannelError;
import static io.snowpiperelay.testkit.TestSupport.awaitCommitted;
import static io.snowpiperelay.testkit.TestSupport.client;
import static io.snowpiperelay.testkit.TestSupport.rides;
import static org.assertj.core.api.Assertions.assertThat;

import com.snowflake.ingest.streaming.OpenChannelResult;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restart() on the same port and file store; a new emulator on the same file. */
class RestartIT {

    @TempDir
    Path dir;

    @Test
    void restartKeepsCommittedRowsTokensAndCatalogOnTheSamePort() throws Exception {
        Path store = dir.resolve("emulator.db");
        try (SnowpipeEmulator emulator = TestSupport.emulator().store(store).start();
             SnowflakeStreamingIngestClient client = client(emulator, "LIFT_RIDE_PIPE")) {
            int port = emulator.port();
            SnowflakeStreamingIngestChannel channel = client.openChannel("ch", null).getChannel();
            channel.appendRows(rides(1, 100), "1", "100");
            awaitCommitted(channel, "100");
            emulator.stallCommits(Duration.ofMinutes(1));
            channel.appendRows(rides(101, 50), "101", "150");
            channel.waitForFlush(TestSupport.WAIT).get();

            emulator.restart(); // like a crash: 101..150 were acknowledged but not committed, they are lost

            assertThat(emulator.port()).isEqualTo(port);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(100);
            assertThat(emulator.committedOffsetToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "ch")).contains("100");
            // the old instance must be reopened after the restart; the code says it lost rows, not that it was fenced
            channel.appendRows(rides(151, 1), "151", "151");
            SFException stale = awaitChannelError(channel, "InvalidChannelError");
            assertThat(stale.getMessage()).contains("ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP")
                    .doesNotContain("STALE_CONTINUATION_TOKEN_SEQUENCER");
            channel.close();
            // the same client (its scoped token is still valid) re-opens and replays from the committed token
            OpenChannelResult reopened = client.openChannel("ch", null);
            assertThat(reopened.getChannelStatus().getLatestCommittedOffsetToken()).isEqualTo("100");
            assertThat(reopened.getChannelStatus().getRowsInsertedCount()).isEqualTo(100);
            reopened.getChannel().appendRows(rides(101, 51), "101", "151");
            awaitCommitted(reopened.getChannel(), "151");
            assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT RIDE_ID) FROM LIFT_RIDE")).isEqualTo(151);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(151);
            reopened.getChannel().close();
        }

        // a brand-new emulator on the same file: rows, tokens, catalog and the generated key survive; SQL not re-run
        String key;
        try (SnowpipeEmulator again = TestSupport.emulator().store(store).start()) {
            key = again.privateKeyPem();
            assertThat(again.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(151);
            assertThat(again.queryForLong("SELECT COUNT(*) FROM _emulator_sql")).isEqualTo(1);
            assertThat(again.channel("DB", "PUBLIC", "LIFT_RIDE_PIPE", "ch").orElseThrow().rowsInserted()).isEqualTo(151);
            try (SnowflakeStreamingIngestClient client = client(again, "LIFT_RIDE_PIPE")) {
                OpenChannelResult reopened = client.openChannel("ch", null);
                assertThat(reopened.getChannelStatus().getLatestCommittedOffsetToken()).isEqualTo("151");
                reopened.getChannel().close();
            }
        }
        // the store is a plain SQLite file with the table under its Snowflake name
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM LIFT_RIDE")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(151);
        }
        try (SnowpipeEmulator third = TestSupport.emulator().store(store).start()) {
            assertThat(third.privateKeyPem()).isEqualTo(key);
        }
    }
}
