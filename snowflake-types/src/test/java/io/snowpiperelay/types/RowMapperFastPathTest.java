package io.snowpiperelay.types;

import static io.snowpiperelay.types.RowTestSupport.mapper;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The flat-row fast path of {@link RowMapper#map} gives exactly what the general (Jackson) path gives: the same
 * values of the same classes, or the same error, for plain rows and for every kind of row it hands over.
 */
class RowMapperFastPathTest {

    private static final String TABLE = "CREATE TABLE T (ID NUMBER NOT NULL, VC VARCHAR(5), TXT VARCHAR, N52 NUMBER(5,2),"
            + " F FLOAT, B BOOLEAN, TS TIMESTAMP_NTZ(3), D DATE, TM TIME, LTZ TIMESTAMP_LTZ, TZ TIMESTAMP_TZ, V VARIANT,"
            + " O OBJECT, A ARRAY, BIN BINARY(4), \"lower\" INT, A_RATHER_LONG_COLUMN_NAME VARCHAR, EIGHT_CH NUMBER,"
            + " NINE_CHAR VARCHAR(20));\n";

    private static final String[] KEYS = {"ID", "id", "Vc", "TXT", "n52", "F", "b", "TS", "D", "TM", "LTZ", "TZ", "V", "o",
            "A", "BIN", "lower", "LOWER", "extra", "Id", "v c", "\u00e9t\u00e9", "I\\u0044",
            // keys around 8 bytes and longer, and near misses in their last byte (the scanner compares words)
            "A_RATHER_LONG_COLUMN_NAME", "A_RATHER_LONG_COLUMN_NAMF", "a_rather_long_column_name", "EIGHT_CH", "EIGHT_CI",
            "NINE_CHAR", "NINE_CHAS", "NINE_\u00c9HAR", "EIGHT_C\\u0048"};

    private static final String[] VALUES = {"\"abc\"", "\"abcdefgh\"", "\"\"", "\"2024-01-15 10:00:00\"", "\"2024-01-15T10:00:00.123456Z\"",
            "\"2024-02-30\"", "\"10:11:12\"", "\"12\"", "\" 12 \"", "\"1e3\"", "\"-0.5\"", "\"true\"", "\"yes\"", "\"off\"", "\"NaN\"",
            "\"{\\\"a\\\":1}\"", "\"{}\"", "\"[1]\"", "\"not json\"", "\"AQID\"", "\"AQIDBAU=\"", "\"@@\"", "\"caf\u00e9\"", "\"a\tb\"",
            "\"\u007f\"", "\"1700000000000\"", "0", "-0", "01", "-", "-x", "7", "-42", "99999", "100000", "123456789012345678",
            "-123456789012345678", "1234567890123456789", "1.5", "1.005", "1e2", "-1E-2", "1700000000", "253402300799999",
            "true", "false", "null", "nul", "truex", "True", "[1,2]", "[]", "{\"x\":1}", "{}", "\"\\u0041\"",
            // strings longer than a word with a quote, escape, control or non-ASCII character at various places
            "\"0123456789abcdef\"", "\"0123456789abcdefg\"", "\"01234567\"", "\"0123456\"", "\"0123456789\\\"abcdef\"",
            "\"01234567\\\\89\"", "\"0123456789abcdef\u00e9\"", "\"012345678\t9\"", "\"0123456789abcde\u007f\"",
            "\"\u00e90123456789abcdef\"", "\"0123456789abcdef0123456789\"", "\"2024-01-15 10:00:00.123456789\"",
            // decimals: NUMBER rounding and range, FLOAT, text forms, epoch seconds; and what is not a plain decimal
            "12.50", "-0.0", "0.1", "99.995", "999.995", "-999.994", "123456.789", "0.000", "1700000000.123456789",
            "3.14159265358979323846264338327950288", "1234567890123456789.5", "1.", ".5", "-.5", "01.5", "1.5e3", "1.5E+3",
            "-1.5x", "1.2.3", "0.1234567890123456789012345678901234567890123456789012345678901234567890",
            // nested containers: plain ones (whitespace, nesting, every scalar kind) and what is left to Jackson
            "{\"a\":{\"b\":[1,2.5,-0,1e3,1E-2,true,false,null,\"x\"]}}", "{ \"a\" : [ 1 , { } , [ ] ] }", "[{\"k\":\"v\"}]",
            "[\t1,\r2 ]", "{\"a\":1,\"a\":2}", "[[[[[[[[[[1]]]]]]]]]]", "{\"STREET\":\"1 Main St\",\"ZIP\":\"01234\"}",
            "[1,]", "{\"a\":1,}", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[1e+]", "[+1]", "[NaN]", "[tru]", "[nul]", "[truex]",
            "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "[\"\\n\"]", "[\"\\u00e9\"]", "{\"\u00e9\":1}", "[\"caf\u00e9\"]",
            "[\"a\tb\"]", "[1 2]", "[\"a\" \"b\"]", "{\"a\":1 \"b\":2}", "[1}", "{\"a\":1]", "[", "{", "[[]", "[1,[2,[3]]",
            "[123456789012345678901234567890.123456789012345678901234567890e123]", "[1234567890123456789012345678901234567890.12345678901234567890123456789e1234]",
            "[/*c*/1]", "[\u007f]", "[1]x", "{}}", "[]]"};

    private static final String[] SPACE = {"", "", "", " ", "\t", "  ", "\r"};

    @Test
    void plainRowsTakeTheFastPathAndMatchTheGeneralPath() {
        RowMapper m = mapper(TABLE);
        String[] plain = {
            "{\"ID\":1,\"VC\":\"abc\",\"TXT\":\"x y\",\"N52\":12,\"F\":3,\"B\":true,\"TS\":\"2026-01-02T09:10:11.123\",\"D\":\"2026-01-02\"}",
            "{\"id\": 2, \"ts\": \"2026-01-02 09:10:11\", \"lower\": -7, \"V\": \"s\", \"A\": 5, \"O\": null}",
            " { \"ID\" : 3 , \"TXT\" : 123456789012345678 , \"B\" : \"yes\" } ",
            "{\"ID\":4,\"VC\":\"toolong\"}",
            "{\"ID\":5,\"N52\":\"x\",\"B\":1}",
            "{\"VC\":\"a\"}",
            "{}",
            "{\"ID\":7,\"N52\":12.345,\"F\":-3.5,\"TXT\":12.50,\"V\":1.10,\"A\":2.5,\"TS\":1700000000.5}",
            "{\"A_RATHER_LONG_COLUMN_NAME\":\"0123456789abcdef0123\",\"EIGHT_CH\":8,\"NINE_CHAR\":\"01234567\",\"ID\":6}",
        };
        for (String line : plain) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(m.mapFlatForTest(bytes, 0, bytes.length)).as(line).isNotNull();
            assertSame(m, line);
        }
    }

    @Test
    void rowsWithPlainNestedContainersTakeTheFastPath() {
        RowMapper m = mapper(TABLE);
        String[] nested = {
            "{\"ID\":1,\"V\":{\"STREET_ADDRESS\":\"6239 Willow Unions\",\"CITY\":\"East Kimberly\",\"POSTALCODE\":\"51590\"},\"TXT\":\"x\"}",
            "{\"ID\":2,\"V\":[1,-2.50,3e10,true,null,{\"a\":[]}],\"O\":{\"k\":{}},\"A\":{\"k\":1},\"TXT\":[1, 2]}",
            "{\"ID\":3, \"V\" : { \"a\" : [ 1 , 2 ] } , \"A\":[ ] }",
            "{\"ID\":4,\"O\":[1]}",
            "{\"ID\":5,\"VC\":{\"a\":1}}",
            "{\"ID\":6,\"N52\":{\"a\":1}}",
            "{\"ID\":7,\"extra\":{\"ignored\":[{}]},\"V\":\"s\"}",
        };
        for (String line : nested) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertSame(m, line);
            if (!line.contains("N52")) {  // NUMBER has no container fast path: the general path rejects it
                assertThat(m.mapFlatForTest(bytes, 0, bytes.length)).as(line).isNotNull();
            }
        }
        assertThat(RowTestSupport.describe(m.map(nested[2]), 11)).isEqualTo("String:{\"a\":[1,2]}");
        assertThat(RowTestSupport.describe(m.map(nested[1]), 13)).isEqualTo("String:[{\"k\":1}]");
        assertThat(RowTestSupport.describe(m.map(nested[3]), 0)).startsWith("ERR:Failed to cast variant value");
        assertThat(RowTestSupport.describe(m.map(nested[4]), 0)).startsWith("ERR:String '***' is too long");
    }

    @Test
    void containersAtTheFastPathsLimitsMatchTheGeneralPath() {
        RowMapper m = mapper(TABLE);
        for (int depth : new int[] {PlainContainer.MAX_DEPTH - 1, PlainContainer.MAX_DEPTH, PlainContainer.MAX_DEPTH + 1, 999, 1001}) {
            String v = "[".repeat(depth) + "1" + "]".repeat(depth);
            assertSame(m, "{\"ID\":1,\"V\":" + v + "}");
        }
        for (int digits : new int[] {PlainContainer.MAX_NUMBER - 1, PlainContainer.MAX_NUMBER, PlainContainer.MAX_NUMBER + 1, 1001}) {
            assertSame(m, "{\"ID\":1,\"V\":[" + "9".repeat(digits) + "]}");
            assertSame(m, "{\"ID\":1,\"V\":[-0." + "9".repeat(digits) + "]}");
        }
        for (int length : new int[] {PlainContainer.MAX_KEY, PlainContainer.MAX_KEY + 1, 50_001}) {
            assertSame(m, "{\"ID\":1,\"V\":{\"" + "k".repeat(length) + "\":1}}");
        }
        String sixty = "{\"ID\":1,\"V\":" + "[".repeat(PlainContainer.MAX_DEPTH) + "]".repeat(PlainContainer.MAX_DEPTH) + "}";
        byte[] bytes = sixty.getBytes(StandardCharsets.UTF_8);
        assertThat(m.mapFlatForTest(bytes, 0, bytes.length)).isNotNull();
    }

    @Test
    void randomRowsGiveTheSameResultOnBothPaths() {
        RowMapper m = mapper(TABLE);
        RowMapper exact = mapper(TABLE, MatchByColumnName.CASE_SENSITIVE);
        Random random = new Random(20261123);
        int fast = 0;
        for (int i = 0; i < 30_000; i++) {
            String line = randomLine(random);
            RowMapper mapper = i % 3 == 0 ? exact : m;
            assertSame(mapper, line);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (mapper.mapFlatForTest(bytes, 0, bytes.length) != null) {
                fast++;
            }
        }
        assertThat(fast).as("rows answered by the fast path").isGreaterThan(3_000);
    }

    /** A check-only mapper (RowChecker's) accepts and rejects exactly what the full mapper does, with the same error. */
    @Test
    void checkOnlyMapperGivesTheSameVerdictAsTheFullMapper() {
        List<Column> columns = mapper(TABLE).columns();
        for (MatchByColumnName match : new MatchByColumnName[] {MatchByColumnName.CASE_INSENSITIVE,
                MatchByColumnName.CASE_SENSITIVE}) {
            RowMapper full = RowMapper.forTable("T", columns, match);
            RowMapper check = RowMapper.forCheck("T", columns, match);
            Random random = new Random(16);
            int accepted = 0;
            int rejected = 0;
            for (int i = 0; i < 15_000; i++) {
                String line = randomLine(random);
                if (i % 2 == 0) {
                    line = line.replaceFirst("\\{\\s*\"", "{\"ID\": 1, \"");  // the NOT NULL column, so more rows pass
                }
                MappedRow expected = full.map(line);
                MappedRow actual = check.map(line);
                if (expected instanceof MappedRow.Error e) {
                    assertThat(actual).as(line).isEqualTo(e);
                    rejected++;
                } else {
                    assertThat(actual).as(line).isInstanceOf(MappedRow.Ok.class);
                    accepted++;
                }
            }
            assertThat(accepted).as("accepted rows").isGreaterThan(500);  // the seed is fixed
            assertThat(rejected).as("rejected rows").isGreaterThan(3_000);
        }
    }

    /** Long strings and plain containers, where the check-only mapper skips making the value. */
    @Test
    void checkOnlyMapperMeasuresLengthsLikeTheFullMapper() {
        List<Column> columns = mapper(TABLE).columns();
        RowMapper full = RowMapper.forTable("T", columns, MatchByColumnName.CASE_INSENSITIVE);
        RowMapper check = RowMapper.forCheck("T", columns, MatchByColumnName.CASE_INSENSITIVE);
        for (String value : new String[] {"\"abcde\"", "\"abcdef\"", "[1,2]", "[1,2,3]", "[1, 2]", "[1,  2,3]", "{}",
                "{\"a\":1}", "[]"}) {
            for (String key : new String[] {"VC", "V", "O", "A"}) {
                String line = "{\"ID\": 1, \"" + key + "\": " + value + "}";
                MappedRow expected = full.map(line);
                MappedRow actual = check.map(line);
                if (expected instanceof MappedRow.Error e) {
                    assertThat(actual).as(line).isEqualTo(e);
                } else {
                    assertThat(actual).as(line).isInstanceOf(MappedRow.Ok.class);
                }
            }
        }
    }

    private static String randomLine(Random r) {
        StringBuilder sb = new StringBuilder();
        sb.append(pick(r, SPACE));
        if (r.nextInt(40) == 0) {
            return sb.append(pick(r, VALUES)).toString();  // not an object
        }
        sb.append('{').append(pick(r, SPACE));
        int fields = r.nextInt(7);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                sb.append(r.nextInt(60) == 0 ? "" : ",").append(pick(r, SPACE));
            }
            sb.append('"').append(pick(r, KEYS)).append('"').append(pick(r, SPACE)).append(r.nextInt(80) == 0 ? "" : ":")
                    .append(pick(r, SPACE)).append(pick(r, VALUES)).append(pick(r, SPACE));
        }
        if (r.nextInt(60) == 0) {
            sb.append(',');
        }
        sb.append(r.nextInt(80) == 0 ? "" : "}").append(pick(r, SPACE));
        if (r.nextInt(60) == 0) {
            sb.append(pick(r, VALUES));
        }
        String line = sb.toString();
        return r.nextInt(50) == 0 && line.length() > 2 ? line.substring(0, r.nextInt(line.length())) : line;
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static void assertSame(RowMapper m, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        MappedRow general = m.mapGeneral(bytes, 0, bytes.length);
        MappedRow actual = m.map(bytes, 0, bytes.length);
        assertThat(render(actual)).as(line).isEqualTo(render(general));
    }

    private static String render(MappedRow row) {
        if (row instanceof MappedRow.Error e) {
            return "ERR " + e.column() + ": " + e.message();
        }
        Object[] values = ((MappedRow.Ok) row).values();
        StringBuilder sb = new StringBuilder("OK");
        for (Object v : values) {
            sb.append(" | ").append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
        }
        return sb.append(" ").append(Arrays.deepToString(values)).toString();
    }
}
