package io.snowpiperelay.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The pre-send check: the five rejections issue #16 names, good rows, and reasons that never quote a value. */
class RowCheckerTest {

    private static final RowChecker LIFT_RIDE = RowChecker.of("LIFT_RIDE", ColumnDefinitions.parse("""
            CREATE TABLE LIFT_RIDE (
                TXID VARCHAR(255) NOT NULL,
                RFID VARCHAR(255),
                RESORT VARCHAR(255),
                PURCHASE_TIME TIMESTAMP_NTZ,
                PRICE_USD DECIMAL(7,2),
                ACTIVATION_DAY_COUNT INTEGER
            );"""));

    @Test
    void goodRowsPass() {
        assertThat(LIFT_RIDE.check("{\"TXID\": \"t1\", \"RFID\": \"r\", \"RESORT\": \"Vail\","
                + " \"PURCHASE_TIME\": \"2026-11-23T14:00:19.763520\", \"PRICE_USD\": 92.5, \"ACTIVATION_DAY_COUNT\": 2}"))
                .isEmpty();
        // keys meet columns case-insensitively, extra keys are ignored, nullable columns may be missing
        assertThat(LIFT_RIDE.check("{\"txid\": \"t2\", \"price_usd\": \"99999.99\", \"EXTRA\": [1, 2]}")).isEmpty();
    }

    /** Each row breaks one rule; the reason names table, column, rule and type, and never the value's text. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"TXID\": \"t\", \"ACTIVATION_DAY_COUNT\": \"abc\"}         | ACTIVATION_DAY_COUNT | NOT_A_NUMBER       "
                    + "| LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 3 characters is not a number (NUMBER(38,0))",
            "{\"TXID\": \"t\", \"PURCHASE_TIME\": \"abc\"}                | PURCHASE_TIME        | NOT_A_DATE_OR_TIME "
                    + "| LIFT_RIDE.PURCHASE_TIME: a string of 3 characters is not a timestamp Snowflake recognises (TIMESTAMP_NTZ(9))",
            "{\"TXID\": \"t\", \"RESORT\": \"LONG\"}                      | RESORT               | TOO_LONG           "
                    + "| LIFT_RIDE.RESORT: a string of 300 characters is longer than VARCHAR(255) allows",
            "{\"TXID\": \"t\", \"PRICE_USD\": 123456.78}                  | PRICE_USD            | OUT_OF_RANGE       "
                    + "| LIFT_RIDE.PRICE_USD: a number is out of range for NUMBER(7,2) (at most 5 digits before the point)",
            "{\"RESORT\": \"Vail\"}                                       | TXID                 | NOT_NULL           "
                    + "| LIFT_RIDE.TXID: missing, but the column is NOT NULL (VARCHAR(255))",
            "{\"TXID\": null}                                             | TXID                 | NOT_NULL           "
                    + "| LIFT_RIDE.TXID: null, but the column is NOT NULL (VARCHAR(255))",
            "{\"TXID\": \"t\", \"ACTIVATION_DAY_COUNT\": {\"a\": 1}}      | ACTIVATION_DAY_COUNT | WRONG_TYPE         "
                    + "| LIFT_RIDE.ACTIVATION_DAY_COUNT: an object cannot be cast to NUMBER(38,0)",
    })
    void badRowsAreRejectedWithAReasonNamingColumnAndRule(String row, String column, RejectionRule rule, String reason) {
        String json = row.replace("LONG", "\u00e9".repeat(300));
        RowRejection rejection = LIFT_RIDE.check(json).orElseThrow();
        assertThat(rejection.column()).isEqualTo(column);
        assertThat(rejection.rule()).isEqualTo(rule);
        assertThat(rejection.reason()).isEqualTo(reason);
    }

    @Test
    void reasonsNeverQuoteTheValue() {
        String secret = "4111111111111111-sk_live_secret";
        for (String row : List.of(
                "{\"TXID\": \"t\", \"ACTIVATION_DAY_COUNT\": \"" + secret + "\"}",
                "{\"TXID\": \"t\", \"PURCHASE_TIME\": \"" + secret + "\"}",
                "{\"TXID\": \"t\", \"RESORT\": \"" + secret.repeat(20) + "\"}",
                "{\"TXID\": \"t\", \"PRICE_USD\": 4111111111111111}",
                "{\"TXID\": \"t\", \"ACTIVATION_DAY_COUNT\": {\"card\": \"" + secret + "\"}}")) {
            String reason = LIFT_RIDE.check(row).orElseThrow().reason();
            assertThat(reason).doesNotContain("4111", "secret", "sk_live");
        }
    }

    @Test
    void rowLevelProblemsNameTheTable() {
        RowRejection notAnObject = LIFT_RIDE.check("[1, 2]").orElseThrow();
        assertThat(notAnObject.column()).isNull();
        assertThat(notAnObject.rule()).isEqualTo(RejectionRule.INVALID_JSON);
        assertThat(notAnObject.reason()).startsWith("LIFT_RIDE: ");
    }

    @Test
    void caseSensitiveMatchingIsAvailableForCustomPipes() {
        RowChecker exact = RowChecker.of("T", ColumnDefinitions.parse("ID INT NOT NULL"), MatchByColumnName.CASE_SENSITIVE);
        assertThat(exact.check("{\"ID\": 1}")).isEmpty();
        assertThat(exact.check("{\"id\": 1}").orElseThrow().rule()).isEqualTo(RejectionRule.NOT_NULL);
        assertThatThrownBy(() -> RowChecker.of("T", exact.columns(), MatchByColumnName.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
