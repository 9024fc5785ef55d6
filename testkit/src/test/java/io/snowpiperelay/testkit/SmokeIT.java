package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void buildOpenAppendCommit() throws Exception {
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().commitLag(Duration.ofMillis(100)).start();
             SnowflakeStreamingIngestClient client = SnowflakeStreamingIngestClientFactory
                     .builder("smoke", "DB", "PUBLIC", "T-STREAMING").setProperties(emulator.clientProperties()).build()) {
            SnowflakeStreamingIngestChannel ch = client.openChannel("ch1", null).getChannel();
            for (int i = 1; i <= 10; i++) {
                ch.appendRow(Map.of("ID", i, "NAME", "n" + i), String.valueOf(i));
            }
            ch.waitForCommit(t -> "10".equals(t), Duration.ofSeconds(20)).get();
            System.out.println(emulator.query("select * from _emulator_channels"));
            System.out.println(emulator.query("select name from sqlite_master"));
        }
    }
}
