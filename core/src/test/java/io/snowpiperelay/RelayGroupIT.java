package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.testing.InMemorySource;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group of channels on one client per pipe, with the real SDK against the emulator. */
class RelayGroupIT {

    @Test
    void severalChannelsPerTableAndSeveralTablesDrainExactlyOnce() throws Exception {
        String sql = """
                CREATE DATABASE IF NOT EXISTS DB;
                CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
                CREATE TABLE IF NOT EXISTS DB.PUBLIC.EVENTS (ID NUMBER(38,0) NOT NULL, V VARCHAR(16));
                CREATE TABLE IF NOT EXISTS DB.PUBLIC.OTHER (ID NUMBER(38,0) NOT NULL, V VARCHAR(16));
                """;
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().sql(sql).commitLag(Duration.ofMillis(100)).start()) {
            PipeName events = PipeName.defaultPipeOf("DB", "PUBLIC", "EVENTS");
            PipeName other = PipeName.defaultPipeOf("DB", "PUBLIC", "OTHER");
            RelayGroup.Builder b = RelayGroup.builder().profile(ClientProfile.fromProperties(emulator.clientProperties()))
                    .config(RunnerConfig.builder().commitPollInterval(Duration.ofMillis(100)).build());
            // Each channel has its own outbox; ids are disjoint so the table shows duplicates if any.
            for (int i = 0; i < 3; i++) {
                String ch = "EVENTS_" + i;
                InMemorySource s = new InMemorySource(() -> emulator.committedOffsetToken("DB", "PUBLIC",
                        events.pipe(), ch).map(Long::parseLong).orElse(0L));
                for (int r = 1; r <= 2_000; r++) {
                    s.addJson("{\"id\":" + (i * 1_000_000L + r) + ",\"v\":\"c" + i + "\"}");
                }
                b.channel(events, ch, s);
            }
            InMemorySource o = new InMemorySource(() -> emulator.committedOffsetToken("DB", "PUBLIC", other.pipe(),
                    "OTHER_0").map(Long::parseLong).orElse(0L));
            o.addRows(1_000);
            b.channel(other, "OTHER_0", o);

            try (RelayGroup group = b.build()) {
                group.start();
                assertThat(group.awaitDrained(Duration.ofSeconds(60))).isTrue();
                assertThat(group.failures()).isEmpty();
            }
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM EVENTS")).isEqualTo(6_000);
            assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT ID) FROM EVENTS")).isEqualTo(6_000);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM OTHER")).isEqualTo(1_000);
        }
    }

    @Test
    void aTokenAnotherWriterCommittedFencesTheMemberAndIsNeverDeletedOn() throws Exception {
        String sql = """
                CREATE DATABASE IF NOT EXISTS DB;
                CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
                CREATE TABLE IF NOT EXISTS DB.PUBLIC.EVENTS (ID NUMBER(38,0) NOT NULL, V VARCHAR(16));
                """;
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().sql(sql).commitLag(Duration.ofMillis(100)).start()) {
            PipeName events = PipeName.defaultPipeOf("DB", "PUBLIC", "EVENTS");
            InMemorySource[] sources = new InMemorySource[2];
            RelayGroup.Builder b = RelayGroup.builder().profile(ClientProfile.fromProperties(emulator.clientProperties()))
                    .config(RunnerConfig.builder().commitPollInterval(Duration.ofMillis(100)).build());
            for (int i = 0; i < 2; i++) {
                String ch = "EVENTS_" + i;
                sources[i] = new InMemorySource(() -> emulator.committedOffsetToken("DB", "PUBLIC", events.pipe(), ch)
                        .map(Long::parseLong).orElse(0L));
                sources[i].addRows(100);
                b.channel(events, ch, sources[i]);
            }
            try (RelayGroup group = b.build()) {
                group.start();
                assertThat(group.awaitDrained(Duration.ofSeconds(60))).isTrue();
                try (SnowflakeStreamingIngestClient other = SnowflakeStreamingIngestClientFactory
                        .builder("other-writer", "DB", "PUBLIC", events.pipe())
                        .setProperties(emulator.clientProperties()).build()) {
                    var theirs = other.openChannel("EVENTS_1").getChannel();
                    theirs.appendRow(Map.of("ID", 5_000_000, "V", "other"), "5000000");
                    // Member EVENTS_1 has nothing to send: only the tokens the group reads can tell it.
                    await().atMost(Duration.ofSeconds(30)).until(() -> group.failures().containsKey("EVENTS_1"));
                }
                assertThat(group.failures().get("EVENTS_1")).isInstanceOf(ChannelFencedException.class)
                        .hasMessageContaining("5000000");
                assertThat(sources[1].deletes()).allMatch(d -> d <= 100);
                sources[0].addRows(10);
                await().atMost(Duration.ofSeconds(60)).until(() -> group.metrics().get("EVENTS_0").deletedOffset() == 110);
                assertThat(group.states().get("EVENTS_0")).isEqualTo(RunnerState.RUNNING);
            }
        }
    }
}
