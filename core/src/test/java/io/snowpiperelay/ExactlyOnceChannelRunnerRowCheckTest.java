package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.types.ColumnDefinitions;
import io.snowpiperelay.types.RowChecker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pre-send row check (issue #16, "before sending"): rows the target table would reject reach the dead-letter
 * handler with their offset, channel and a reason naming column and rule, and are never appended; good rows are,
 * once each; reasons and logs above DEBUG never quote a row's values.
 */
class ExactlyOnceChannelRunnerRowCheckTest extends RunnerTestSupport {

    private static final RowChecker LIFT_RIDE = RowChecker.of("LIFT_RIDE", ColumnDefinitions.parse("""
            CREATE TABLE LIFT_RIDE (ID NUMBER NOT NULL, V VARCHAR, RFID VARCHAR(255), RIDE_AT TIMESTAMP_NTZ,
                PRICE_USD DECIMAL(7,2), ACTIVATION_DAY_COUNT INTEGER, RIDER VARCHAR NOT NULL)"""));

    /** Values that must never show in a reason or a log line above DEBUG. */
    private static final String SECRET_TEXT = "Zq7-personal-Zq7";
    private static final String SECRET_NUMBER = "987654321.55";

    private final Map<Long, String> payloads = new LinkedHashMap<>();
    private long nextOffset = 1;

    @Test
    void rowsBreakingEachRuleAreDeadLetteredBeforeAppendAndGoodRowsLandOnce() throws Exception {
        Map<Long, String> expectedRule = new LinkedHashMap<>();
        List<Long> good = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            good.add(add(this::goodRow));
            expectedRule.put(add(row("\"ACTIVATION_DAY_COUNT\": \"" + SECRET_TEXT + "\"")),
                    "LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 16 characters is not a number (NUMBER(38,0))");
            good.add(add(this::goodRow));
            expectedRule.put(add(row("\"RIDE_AT\": \"" + SECRET_TEXT + "\"")),
                    "LIFT_RIDE.RIDE_AT: a string of 16 characters is not a timestamp Snowflake recognises"
                            + " (TIMESTAMP_NTZ(9))");
            expectedRule.put(add(row("\"RFID\": \"" + SECRET_TEXT.repeat(19) + "\"")),
                    "LIFT_RIDE.RFID: a string of 304 characters is longer than VARCHAR(255) allows");
            expectedRule.put(add(row("\"PRICE_USD\": " + SECRET_NUMBER)),
                    "LIFT_RIDE.PRICE_USD: a number is out of range for NUMBER(7,2) (at most 5 digits before the point)");
            expectedRule.put(add(id -> "{\"ID\": " + id + ", \"V\": \"" + SECRET_TEXT + "\"}"), "LIFT_RIDE.RIDER: missing, but the column is NOT NULL (VARCHAR(16777216))");
            good.add(add(this::goodRow));
        }
        ListAppender<ILoggingEvent> logged = captureLogsFromInfo();
        try {
            ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).rowChecker(LIFT_RIDE).build());
            assertThat(runner.awaitDrained(WAIT)).isTrue();

            assertThat(deadLetters).extracting(DeadLetter::offset).containsExactlyElementsOf(expectedRule.keySet());
            for (DeadLetter letter : deadLetters) {
                assertThat(letter.reason()).isEqualTo(expectedRule.get(letter.offset()));
                assertThat(letter.channel()).isEqualTo(CH);
                assertThat(letter.payload()).isEqualTo(payloads.get(letter.offset()));
                assertThat(letter.reason()).doesNotContain(SECRET_TEXT, SECRET_NUMBER);
            }
            assertThat(service.committedRows()).extracting(r -> ((Number) r.get("ID")).longValue())
                    .containsExactlyElementsOf(good);
            assertThat(source.remaining()).isZero();
            assertThat(runner.metrics().deadLetterCount()).isEqualTo(expectedRule.size());
        } finally {
            stopCapturing(logged);
        }
        assertThat(logged.list).isNotEmpty();
        assertThat(logged.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + " " + e.getThrowableProxy())
                .doesNotContain(SECRET_TEXT, SECRET_NUMBER));
    }

    @Test
    void withoutAChecker_onlyTheJsonObjectCheckApplies() throws Exception {
        long wrongType = add(row("\"ACTIVATION_DAY_COUNT\": \"abc\""));
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(deadLetters).isEmpty();
        assertThat(service.committedRows()).extracting(r -> ((Number) r.get("ID")).longValue())
                .containsExactly(wrongType);
    }

    /** Adds the row {@code json} makes for its id (= its offset); returns the offset. */
    private long add(LongFunction<String> json) {
        long offset = source.addJson(json.apply(nextOffset));
        assertThat(offset).isEqualTo(nextOffset);
        payloads.put(offset, json.apply(offset));
        nextOffset++;
        return offset;
    }

    /** A row with every NOT NULL column set and {@code extra} members. */
    private static LongFunction<String> row(String extra) {
        return id -> "{\"ID\": " + id + ", \"RIDER\": \"r" + id + "\", " + extra + "}";
    }

    private String goodRow(long id) {
        return row("\"RFID\": \"tag\", \"RIDE_AT\": \"2026-11-23T14:00:19.763520\", \"PRICE_USD\": 12345.67,"
                + " \"ACTIVATION_DAY_COUNT\": \"3\", \"UNKNOWN\": {\"ignored\": true}").apply(id);
    }

    /** Everything logged at INFO and above while it runs (the root logger of the tests is at WARN). */
    private static ListAppender<ILoggingEvent> captureLogsFromInfo() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        return appender;
    }

    private static void stopCapturing(ListAppender<ILoggingEvent> appender) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(appender);
        root.setLevel(Level.WARN);
        appender.stop();
    }
}
