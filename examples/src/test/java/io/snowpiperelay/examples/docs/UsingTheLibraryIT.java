package io.snowpiperelay.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of docs/using-the-library.md, run against the emulator: if the API changes, this stops compiling
 * and the document must change with it. Keep the two in step.
 */
class UsingTheLibraryIT {

    private static final String SETUP = """
            CREATE DATABASE IF NOT EXISTS MY_DB;
            CREATE SCHEMA IF NOT EXISTS MY_DB.PUBLIC;
            CREATE OR REPLACE TABLE MY_DB.PUBLIC.ORDERS (ORDER_ID NUMBER, CUSTOMER VARCHAR(100), AMOUNT_USD DECIMAL(10,2),
                                                         ORDERED_AT TIMESTAMP_NTZ);
            CREATE OR REPLACE PIPE MY_DB.PUBLIC.ORDERS_PIPE AS
              COPY INTO MY_DB.PUBLIC.ORDERS FROM TABLE (DATA_SOURCE (TYPE => 'STREAMING'))
              MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;
            CREATE OR REPLACE TABLE MY_DB.PUBLIC.PAYMENTS (PAYMENT_ID NUMBER, ORDER_ID NUMBER);
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void quietSdk() {
        SkiResort.quietNativeLog();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void one_runner_on_your_own_outbox() throws Exception {
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().sql(SETUP).start()) {
            Path outboxFile = dir.resolve("outbox.db");
            ClientProfile profile = ClientProfile.fromProperties(emulator.clientProperties());

            // --- docs: writing to the outbox ---
            try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
                long offset = outbox.append("ORDERS",
                        "{\"ORDER_ID\":1,\"CUSTOMER\":\"Ada\",\"AMOUNT_USD\":19.90,\"ORDERED_AT\":\"2026-11-23 10:15:00\"}");
                long[] offsets = outbox.appendAll("ORDERS", List.of(
                        "{\"ORDER_ID\":2,\"CUSTOMER\":\"Grace\",\"AMOUNT_USD\":5.00,\"ORDERED_AT\":\"2026-11-23 10:16:00\"}",
                        "{\"ORDER_ID\":3,\"CUSTOMER\":\"Linus\",\"AMOUNT_USD\":42.00,\"ORDERED_AT\":\"2026-11-23 10:17:00\"}"));
                assertThat(offset).isEqualTo(1);
                assertThat(offsets).containsExactly(2, 3);
            }

            // --- docs: running a runner on your own outbox ---
            try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile);
                 SqliteOffsetSource orders = outbox.openSource("ORDERS");
                 ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
                         .profile(profile)
                         .pipe(PipeName.of("MY_DB", "PUBLIC", "ORDERS_PIPE"))
                         .channelName("ORDERS_RELAY")
                         .source(orders)
                         .build()) {
                Thread relay = new Thread(runner, "relay-ORDERS");
                relay.start();
                boolean drained = runner.awaitDrained(Duration.ofMinutes(1));
                RunnerMetrics metrics = runner.metrics();

                assertThat(drained).isTrue();
                assertThat(metrics.committedOffset()).isEqualTo(3);
                assertThat(outbox.pendingCount("ORDERS")).isZero();
            }
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM ORDERS")).isEqualTo(3);
            assertThat(emulator.queryForLong("SELECT SUM(AMOUNT_USD * 100) FROM ORDERS")).isEqualTo(6690);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void a_group_for_several_tables() throws Exception {
        try (SnowpipeEmulator emulator = SnowpipeEmulator.builder().sql(SETUP).start()) {
            ClientProfile profile = ClientProfile.fromProperties(emulator.clientProperties());

            // --- docs: several tables ---
            try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("outbox.db"))) {
                outbox.append("ORDERS", "{\"ORDER_ID\":1,\"CUSTOMER\":\"Ada\",\"AMOUNT_USD\":19.90}");
                outbox.append("PAYMENTS", "{\"PAYMENT_ID\":7,\"ORDER_ID\":1}");
                try (SqliteOffsetSource orders = outbox.openSource("ORDERS");
                     SqliteOffsetSource payments = outbox.openSource("PAYMENTS");
                     RelayGroup group = RelayGroup.builder()
                             .profile(profile)
                             .channel(PipeName.of("MY_DB", "PUBLIC", "ORDERS_PIPE"), "ORDERS_RELAY", orders)
                             .channel(PipeName.defaultPipeOf("MY_DB", "PUBLIC", "PAYMENTS"), "PAYMENTS_RELAY", payments)
                             .build()) {
                    group.start();
                    assertThat(group.awaitDrained(Duration.ofMinutes(1))).isTrue();
                }
            }
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM ORDERS")).isEqualTo(1);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM PAYMENTS")).isEqualTo(1);
        }
    }
}
