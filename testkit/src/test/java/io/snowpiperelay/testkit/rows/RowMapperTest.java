package io.snowpiperelay.testkit.rows;

import static io.snowpiperelay.testkit.rows.PipeRowTestSupport.mapper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.MappedRow;
import io.snowpiperelay.types.MatchByColumnName;
import io.snowpiperelay.types.PathStep;
import io.snowpiperelay.types.Projection;
import io.snowpiperelay.types.RejectionRule;
import io.snowpiperelay.types.RowMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Key matching, NULLs, row-level errors and SELECT transforms (§2 and §6 of snowflake-streaming-types.md). */
class RowMapperTest {

    private static final String TABLE = "CREATE TABLE T (c1 NUMBER, c2 VARCHAR, ts TIMESTAMP_NTZ, \"lower\" INT);\n";

    private static Object[] ok(MappedRow row) {
        assertThat(row).isInstanceOf(MappedRow.Ok.class);
        return ((MappedRow.Ok) row).values();
    }

    private static MappedRow.Error error(MappedRow row) {
        assertThat(row).isInstanceOf(MappedRow.Error.class);
        return (MappedRow.Error) row;
    }

    // ------------------------------------------------------------------ matching keys to columns

    /** The official example sends keys c1, c2, ts to columns C1, C2, TS through the default pipe (§2). */
    @Test
    void defaultPipeMatchesCaseInsensitively() {
        RowMapper m = mapper(TABLE, "T-STREAMING");
        assertThat(ok(m.map("{\"c1\": 1, \"C2\": \"x\", \"Ts\": \"2024-01-15 10:00:00\", \"LOWER\": 5}")))
                .containsExactly(1L, "x", "2024-01-15 10:00:00", 5L);
    }

    @Test
    void caseSensitivePipeNeedsExactNames() {
        RowMapper m = mapper(TABLE + "CREATE PIPE P AS COPY INTO T FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) "
                + "MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;", "P");
        assertThat(ok(m.map("{\"c1\": 1, \"C2\": \"x\", \"lower\": 5, \"LOWER\": 6}"))).containsExactly(null, "x", null, 5L);
    }

    @Test
    void caseInsensitivePipePrefersTheExactColumn() {
        RowMapper m = mapper("CREATE TABLE T (\"a\" INT, \"A\" INT, b INT);"
                + "CREATE PIPE P AS COPY INTO T FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE;", "P");
        assertThat(ok(m.map("{\"a\": 1, \"A\": 2, \"B\": 3}"))).containsExactly(1L, 2L, 3L);
        assertThat(ok(m.map("{\"b\": 3}"))).containsExactly(null, null, 3L);
    }

    @Test
    void missingKeysAreNullAndExtraKeysIgnored() {
        RowMapper m = mapper(TABLE, "T-STREAMING");
        assertThat(ok(m.map("{\"DAYS_USED\": 3, \"nested\": {\"c1\": 5, \"x\": [1, {\"y\": 2}]}, \"c2\": \"kept\"}")))
                .containsExactly(null, "kept", null, null);
        assertThat(ok(m.map("{}"))).containsExactly(null, null, null, null);
    }

    @Test
    void manyDistinctUnknownKeysDoNotBreakMatching() {
        RowMapper m = mapper(TABLE, "T-STREAMING");
        for (int i = 0; i < 5000; i++) {
            assertThat(ok(m.map("{\"k" + i + "\": 1, \"c1\": " + i + "}"))[0]).isEqualTo((long) i);
        }
    }

    @Test
    void duplicateKeyKeepsTheLastValue() {
        assertThat(ok(mapper(TABLE, "T-STREAMING").map("{\"c1\": 1, \"C1\": 2}"))[0]).isEqualTo(2L);
    }

    // ------------------------------------------------------------------ NULLs and NOT NULL

    @Test
    void notNullColumnsRejectMissingAndNullValues() {
        RowMapper m = mapper("CREATE TABLE T (id INT NOT NULL, v VARIANT NOT NULL, s STRING);", "T-STREAMING");
        assertThat(error(m.map("{\"v\": 1}"))).isEqualTo(new MappedRow.Error("ID", RejectionRule.NOT_NULL,
                "NULL result in a non-nullable column (column \"ID\" of type NUMBER(38,0))"));
        assertThat(error(m.map("{\"id\": null, \"v\": 1}")).column()).isEqualTo("ID");
        assertThat(error(m.map("{\"id\": 1}")).column()).isEqualTo("V");
        // JSON null in a VARIANT is a VARIANT null, not SQL NULL (§1.8).
        assertThat(ok(m.map("{\"id\": 1, \"v\": null}"))).containsExactly(1L, "null", null);
    }

    // ------------------------------------------------------------------ row-level errors

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{                  | Error parsing JSON: incomplete JSON value",
            "{\"c1\": 1         | Error parsing JSON: incomplete JSON value",
            "not json           | Error parsing JSON: invalid JSON",
            "{'c1': 1}          | Error parsing JSON: invalid JSON",
            "{\"c1\": 01}       | Error parsing JSON: invalid JSON",
            "{\"c1\": NaN}      | Error parsing JSON: invalid JSON",
            "{\"c1\": 1,}       | Error parsing JSON: invalid JSON",
            "[1, 2]             | Error parsing JSON: the row is not a JSON object",
            "\"just a string\"  | Error parsing JSON: the row is not a JSON object",
            "42                 | Error parsing JSON: the row is not a JSON object",
            "null               | Error parsing JSON: the row is not a JSON object",
            "{} {}              | Error parsing JSON: more than one JSON value in the row",
            "{\"c1\": 1} x      | Error parsing JSON: invalid JSON",
            "`   `              | Error parsing JSON: the row is empty",
    })
    void invalidRowsAreRejectedWithoutAColumn(String line, String message) {
        MappedRow.Error e = error(mapper(TABLE, "T-STREAMING").map(line));
        assertThat(e.column()).isNull();
        assertThat(e.message()).startsWith(message);
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] line = {'{', '"', 'c', '2', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        MappedRow.Error e = error(mapper(TABLE, "T-STREAMING").map(line, 0, line.length));
        assertThat(e.column()).isNull();
        assertThat(e.message()).startsWith("Error parsing JSON: invalid UTF-8");
    }

    @Test
    void trailingCarriageReturnIsWhitespace() {
        assertThat(ok(mapper(TABLE, "T-STREAMING").map("{\"c1\": 7}\r"))[0]).isEqualTo(7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"c1\": \"secret-4111111111111111\"}",
            "{\"c1\": {\"ssn\": \"secret-123-45-6789\"}}",
            "{\"c2\": \"secret\", \"c1\": true}",
            "{\"ts\": \"secret-2024\"}",
            "{\"c1\": \"secret\"",
            "{\"c1\": secret}",
    })
    void messagesNeverContainTheValue(String line) {
        MappedRow.Error e = error(mapper(TABLE, "T-STREAMING").map(line));
        assertThat(e.message()).doesNotContain("secret").doesNotContain("4111").doesNotContain("6789");
    }

    @Test
    void errorNamesTheColumnAndItsType() {
        MappedRow.Error e = error(mapper(TABLE, "T-STREAMING").map("{\"c2\": \"ok\", \"c1\": \"abc\"}"));
        assertThat(e).isEqualTo(new MappedRow.Error("C1", RejectionRule.NOT_A_NUMBER,
                "Numeric value '***' is not recognized (column \"C1\" of type NUMBER(38,0))"));
    }

    // ------------------------------------------------------------------ buffers

    @Test
    void mapsASliceOfALargerBuffer() {
        String batch = "{\"c1\": 1, \"c2\": {\"a\" : [ 1 , 2 ]}}\n{\"c1\": 2, \"c2\": [ \"x\" ,\"y\" ]}\n";
        byte[] bytes = ("garbage" + batch).getBytes(StandardCharsets.UTF_8);
        RowMapper m = mapper(TABLE, "T-STREAMING");
        int first = 7;
        int nl = indexOf(bytes, first);
        assertThat(ok(m.map(bytes, first, nl - first))).containsExactly(1L, "{\"a\":[1,2]}", null, null);
        int second = nl + 1;
        int nl2 = indexOf(bytes, second);
        assertThat(ok(m.map(bytes, second, nl2 - second))).containsExactly(2L, "[\"x\",\"y\"]", null, null);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void multiByteTextBeforeAContainerKeepsOffsetsRight() {
        RowMapper m = mapper("CREATE TABLE T (a STRING, v VARIANT);", "T-STREAMING");
        assertThat(ok(m.map("{\"a\": \"日本語 é\", \"v\": {\"k\": \"ü\" , \"n\": 1.0}}")))
                .containsExactly("日本語 é", "{\"k\":\"ü\",\"n\":1.0}");
    }

    @Test
    void valuesArrayIsFreshPerRow() {
        RowMapper m = mapper(TABLE, "T-STREAMING");
        Object[] a = ok(m.map("{\"c1\": 1}"));
        Object[] b = ok(m.map("{\"c2\": \"x\"}"));
        assertThat(a).isNotSameAs(b);
        assertThat(Arrays.asList(a)).containsExactly(1L, null, null, null);
    }

    @Test
    void oneMapperServesManyThreads() throws Exception {
        RowMapper m = mapper(TABLE, "T-STREAMING");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int base = thread * 100_000;
                results.add(pool.submit(() -> {
                    int good = 0;
                    for (int i = 0; i < 5_000; i++) {
                        int n = base + i;
                        MappedRow row = m.map("{\"C1\": " + n + ", \"c2\": \"v" + n + "\", \"tS\": \"2024-01-15T10:00:0"
                                + (i % 10) + "Z\", \"x" + (n % 97) + "\": 1}");
                        Object[] v = ((MappedRow.Ok) row).values();
                        if (v[0].equals((long) n) && v[1].equals("v" + n) && v[2].equals("2024-01-15 10:00:0" + (i % 10))) {
                            good++;
                        }
                    }
                    return good;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(5_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ the ski-resort rows

    /** The quickstart's value formats (reference §2.3 and §7.1). */
    @Test
    void skiResortTicketRow() {
        RowMapper m = mapper("""
                CREATE OR REPLACE TABLE RESORT_TICKET (TXID varchar(255), RFID varchar(255), RESORT varchar(255),
                    PURCHASE_TIME datetime, PRICE_USD DECIMAL(7,2), EXPIRATION_TIME date, DAYS number, NAME varchar(255),
                    ADDRESS variant, PHONE varchar(255), EMAIL varchar(255), EMERGENCY_CONTACT variant);
                CREATE OR REPLACE PIPE RESORT_TICKET_PIPE AS COPY INTO RESORT_TICKET
                  FROM TABLE ( DATA_SOURCE ( TYPE => 'STREAMING' ) ) MATCH_BY_COLUMN_NAME=CASE_SENSITIVE;
                """, "RESORT_TICKET_PIPE");
        Object[] v = ok(m.map("{\"TXID\": \"0b5c5a1e-1f0e-4a5b-9a6e-2b1d9b6e1c3f\", \"RFID\": \"0x1a2b3c\", \"RESORT\": \"Vail\","
                + " \"PURCHASE_TIME\": \"2026-11-23T14:00:19.763520+00:00\", \"PRICE_USD\": 92,"
                + " \"EXPIRATION_TIME\": \"2026-11-25T14:00:19.763520+00:00\", \"DAYS\": 2, \"DAYS_USED\": 0,"
                + " \"NAME\": \"Ann Example\", \"ADDRESS\": {\"street_address\": \"1 Main St\", \"city\": \"Vail\"},"
                + " \"PHONE\": null, \"EMAIL\": null, \"EMERGENCY_CONTACT\": null}"));
        assertThat(v).containsExactly("0b5c5a1e-1f0e-4a5b-9a6e-2b1d9b6e1c3f", "0x1a2b3c", "Vail",
                "2026-11-23 14:00:19.763520000", new BigDecimal("92.00"), "2026-11-25", 2L, "Ann Example",
                "{\"street_address\":\"1 Main St\",\"city\":\"Vail\"}", null, null, "null");
    }

    // ------------------------------------------------------------------ SELECT transforms and NONE

    @Test
    void selectTransformProjectsPathsWithCaseSensitiveElements() {
        RowMapper m = mapper("""
                CREATE TABLE T (a INT, b STRING, c VARIANT, d TIMESTAMP_NTZ, e STRING NOT NULL);
                CREATE PIPE P AS COPY INTO T (b, a, d, c, e)
                  FROM (SELECT $1:Name::STRING, $1:"count", $1:meta.when[0]::TIMESTAMP_NTZ, $1:meta, $1['e key']
                        FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')));
                """, "P");
        assertThat(ok(m.map("{\"Name\": \"n\", \"count\": 3, \"meta\": {\"when\": [\"2024-01-15T10:00:00Z\", 1]}, \"e key\": 5}")))
                .containsExactly(3L, "n", "{\"when\":[\"2024-01-15T10:00:00Z\",1]}", "2024-01-15 10:00:00", "5");
        // element names are case-sensitive: "name" is not "Name"; a missing element is NULL
        assertThat(ok(m.map("{\"name\": \"n\", \"COUNT\": 3, \"meta\": {}, \"e key\": \"x\"}")))
                .containsExactly(null, null, "{}", null, "x");
        assertThat(error(m.map("{\"e key\": null}")).column()).isEqualTo("E");
        assertThat(error(m.map("{\"count\": \"abc\", \"e key\": 1}")).column()).isEqualTo("A");
    }

    @Test
    void castToAnotherTypeThenToTheColumn() {
        RowMapper m = mapper("""
                CREATE TABLE T (s STRING, n NUMBER(10,2), b BOOLEAN, v VARIANT, dt DATE);
                CREATE PIPE P AS COPY INTO T FROM (SELECT $1:x::NUMBER(5,1), $1:y::STRING, $1:z::STRING, $1:w::NUMBER,
                  $1:t::TIMESTAMP_NTZ FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')));
                """, "P");
        assertThat(ok(m.map("{\"x\": 1.26, \"y\": \"12.345\", \"z\": \"yes\", \"w\": 2.5, \"t\": \"2024-01-15T23:00:00\"}")))
                .containsExactly("1.3", new BigDecimal("12.35"), 1, "3", "2024-01-15");
        assertThat(error(m.map("{\"x\": \"abc\"}")).column()).isEqualTo("S");
        assertThat(error(m.map("{\"z\": \"maybe\"}")).column()).isEqualTo("B");
    }

    @Test
    void binaryCastIntoAWiderBinaryColumn() {
        RowMapper m = mapper("CREATE TABLE T (b BINARY(10));"
                + "CREATE PIPE P AS COPY INTO T FROM (SELECT $1:b::BINARY(5) FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')));", "P");
        assertThat(ok(m.map("{\"b\": \"SGVsbG8=\"}"))).containsExactly("48656C6C6F");
        assertThat(error(m.map("{\"b\": \"SGVsbG8h\"}")).message()).startsWith("Binary value '***' is too long");
    }

    @Test
    void wholeRowProjection() {
        RowMapper m = mapper("""
                CREATE TABLE T (raw VARIANT, first_item INT);
                CREATE PIPE P AS COPY INTO T FROM (SELECT $1, $1:items[0] FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')));
                """, "P");
        assertThat(ok(m.map("{\"items\": [7, 8], \"k\": \"v\"}"))).containsExactly("{\"items\":[7,8],\"k\":\"v\"}", 7L);
    }

    @Test
    void matchNoneLoadsTheWholeRowIntoTheFirstColumn() {
        RowMapper m = mapper("CREATE TABLE T (raw VARIANT, other INT);"
                + "CREATE PIPE P AS COPY INTO T FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'));", "P");
        assertThat(ok(m.map("{ \"a\" : 1 }"))).containsExactly("{\"a\":1}", null);
        assertThat(error(m.map("{\"a\": 1} {}")).column()).isNull();
    }

    @Test
    void rowMapperRejectsAPipeThatDoesNotFitTheTable() {
        TableDef table = new TableDef("D", "S", "T", List.of(new Column("A",
                ColumnType.number(38, 0), true)));
        PipeDef pipe = new PipeDef("D", "S", "P", "T", "D", "S", MatchByColumnName.NONE, List.of("ZZ"),
                List.of(new Projection(List.of(PathStep.field("a")), null, "$1:a")), false);
        assertThatThrownBy(() -> pipe.rowMapper(table)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZZ");
    }
}
