package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.testkit.ChannelSnapshot;
import io.snowpiperelay.types.RowChecker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-send row check with the real SDK against the emulator (issue #16, "before sending"): the columns come from
 * the emulator's catalog, rows the table would reject in each of the five ways issue #16 names land in the SQLite
 * outbox's dead-letter table with a reason naming column and rule, and every good row lands once. The service never
 * sees a bad row: the channel's row-error count stays 0.
 */
class PreSendRowCheckIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String DB = "STREAMING_INGEST";
    private static final String TABLE = "CHECKED_RIDE";
    private static final String TABLE_SQL = "CREATE TABLE " + DB + "." + DB + "." + TABLE + " ("
            + " ID NUMBER NOT NULL, RIDER VARCHAR(255), RIDE_AT TIMESTAMP_NTZ, PRICE_USD DECIMAL(7,2),"
            + " ACTIVATION_DAY_COUNT INTEGER, NOTE VARIANT);";
    private static final PipeName PIPE = PipeName.defaultPipeOf(DB, DB, TABLE);
    private static final int ROWS = 1_000;
    /** Each bad kind: the row's extra members and the start of the reason expected for it. */
    private static final String[][] BAD_KINDS = {
            {"\"ACTIVATION_DAY_COUNT\": \"abc\"", TABLE + ".ACTIVATION_DAY_COUNT: a string of 3 characters is not a number"},
            {"\"RIDE_AT\": \"abc\"", TABLE + ".RIDE_AT: a string of 3 characters is not a timestamp"},
            {"\"RIDER\": \"" + "r".repeat(300) + "\"", TABLE + ".RIDER: a string of 300 characters is longer than VARCHAR(255)"},
            {"\"PRICE_USD\": 123456.78", TABLE + ".PRICE_USD: a number is out of range for NUMBER(7,2)"},
            {null, TABLE + ".ID: missing, but the column is NOT NULL"},
    };

    @TempDir
    Path dir;

    private InProcessRelay relay;

    @BeforeEach
    void start() {
        relay = new InProcessRelay(dir, Duration.ofMillis(150), TABLE_SQL);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void badRowsAreDeadLetteredBeforeSendingAndEveryGoodRowLandsOnce() throws Exception {
        String stream = "CHECKED";
        Random random = new Random(16);
        List<String> payloads = new ArrayList<>();
        Map<Long, String> expectedReasons = new TreeMap<>();
        List<Long> goodIds = new ArrayList<>();
        for (int i = 1; i <= ROWS; i++) {
            long offset = i; // a fresh outbox hands out offsets 1, 2, 3, ...
            if (random.nextInt(100) < 10) {
                String[] kind = BAD_KINDS[random.nextInt(BAD_KINDS.length)];
                payloads.add(kind[0] == null ? "{\"RIDER\": \"no id " + i + "\"}" : "{\"ID\": " + i + ", " + kind[0] + "}");
                expectedReasons.put(offset, kind[1]);
            } else {
                payloads.add(goodRow(i));
                goodIds.add((long) i);
            }
        }
        relay.outbox.appendAll(stream, payloads);
        assertThat(expectedReasons.values()).as("every bad kind is in the mix")
                .anyMatch(r -> r.contains(".ACTIVATION_DAY_COUNT:")).anyMatch(r -> r.contains(".RIDE_AT:"))
                .anyMatch(r -> r.contains(".RIDER:")).anyMatch(r -> r.contains(".PRICE_USD:"))
                .anyMatch(r -> r.contains(".ID:"));

        RowChecker checker = RowChecker.of(TABLE, relay.emulator.columns(DB, DB, TABLE));
        RecordingListener listener = new RecordingListener();
        SqliteOffsetSource source = relay.source(stream);
        ExactlyOnceChannelRunner runner = relay.start(relay.runner(PIPE, "CHECKED_0", source, RunnerConfig.defaults(),
                listener).deadLetterHandler((DeadLetterHandler) source).rowChecker(checker).build());
        relay.awaitLanded(runner, TABLE, stream, goodIds.size(), TIMEOUT);

        assertThat(runner.state()).as("the relay keeps going").isEqualTo(RunnerState.RUNNING);
        assertThat(relay.count(TABLE)).as("every good row, once").isEqualTo(goodIds.size());
        assertThat(relay.emulator.queryForLong("SELECT count(DISTINCT ID) FROM " + TABLE)).isEqualTo(goodIds.size());
        assertThat(relay.values(TABLE, "ID")).containsExactlyInAnyOrderElementsOf(
                goodIds.stream().map(String::valueOf).toList());
        assertThat(relay.outbox.pendingCount(stream)).as("outbox drained").isZero();

        List<DeadLetter> stored = relay.outbox.deadLetters(stream);
        assertThat(stored).extracting(DeadLetter::offset).containsExactlyElementsOf(expectedReasons.keySet());
        for (DeadLetter letter : stored) {
            assertThat(letter.reason()).startsWith(expectedReasons.get(letter.offset()));
            assertThat(letter.channel()).isEqualTo("CHECKED_0");
            assertThat(letter.payload()).isEqualTo(payloads.get((int) letter.offset() - 1));
        }
        ChannelSnapshot channel = relay.emulator.channel(DB, DB, PIPE.pipe(), "CHECKED_0").orElseThrow();
        assertThat(channel.rowsErrorCount()).as("no bad row reached the service").isZero();
        assertThat(listener.rowErrors).isEmpty();
        assertThat(runner.metrics().deadLetterCount()).isEqualTo(expectedReasons.size());
    }

    private static String goodRow(int id) {
        return "{\"ID\": " + id + ", \"RIDER\": \"rider " + id + "\", \"RIDE_AT\": \"2026-12-06T07:00:00.123\","
                + " \"PRICE_USD\": 92.50, \"ACTIVATION_DAY_COUNT\": \"2\", \"NOTE\": {\"lift\": \"Summit\"}}";
    }
}
