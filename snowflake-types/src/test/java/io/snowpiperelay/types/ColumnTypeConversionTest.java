package io.snowpiperelay.types;

import static io.snowpiperelay.types.RowTestSupport.describe;
import static io.snowpiperelay.types.RowTestSupport.oneColumn;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Accepted and rejected values per column type, one table per section of
 * {@code snowflake-streaming-types.md}. Each row: column type | JSON value of key "C" | expected, where the
 * expected is {@code Type:value} as handed to JDBC, {@code null}, or {@code ERR:} and the start of the message.
 */
class ColumnTypeConversionTest {

    private static void check(String type, String json, String expected) {
        String actual = describe(oneColumn(type).map("{\"C\": " + json + "}"), 0);
        if (expected.startsWith("ERR:")) {
            assertThat(actual).startsWith(expected).endsWith("(column \"C\" of type " + actualType(type) + ")");
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static String actualType(String type) {
        return oneColumn(type).columns().get(0).type().sql();
    }

    /** §1.1: length in characters, over-length rejected, containers as minified JSON, scalars as text. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "VARCHAR(5)  | \"abc\"          | String:abc",
            "VARCHAR(5)  | \"héllo\"        | String:héllo",
            "VARCHAR(5)  | \"😀😀😀😀😀\"    | String:😀😀😀😀😀",
            "VARCHAR(5)  | \"😀😀😀😀😀😀\"  | ERR:String '***' is too long and would be truncated (6 characters, maximum 5)",
            "VARCHAR(5)  | \"toolong\"      | ERR:String '***' is too long and would be truncated (7 characters, maximum 5)",
            "VARCHAR(5)  | \"\"             | String:",
            "VARCHAR(5)  | 12345           | String:12345",
            "VARCHAR(5)  | 123456          | ERR:String '***' is too long",
            "VARCHAR(5)  | 1.50            | String:1.5",
            "VARCHAR(5)  | 1e3             | String:1000",
            "VARCHAR(5)  | -0.5            | String:-0.5",
            "VARCHAR(5)  | true            | String:true",
            "VARCHAR(5)  | false           | String:false",
            "VARCHAR(5)  | null            | null",
            "VARCHAR     | { \"key\" : \"value\" , \"n\": [1, 2,  3] } | String:{\"key\":\"value\",\"n\":[1,2,3]}",
            "VARCHAR     | [1, 2, 3]       | String:[1,2,3]",
            "VARCHAR(7)  | [1, 2, 3]       | String:[1,2,3]",
            "VARCHAR(6)  | [1, 2, 3]       | ERR:String '***' is too long",
            "VARCHAR     | { \"s\": \"a \\\" b\" } | String:{\"s\":\"a \\\" b\"}",
            "CHAR        | \"ab\"           | ERR:String '***' is too long",
            "STRING      | \"line\\nbreak\" | String:line\\nbreak",
    })
    void varchar(String type, String json, String expected) {
        check(type, json, expected.replace("\\n", "\n"));
    }

    /** §1.2: numbers and numeric strings; HALF_UP to s; integer digits ≤ p−s; no NaN, booleans or containers. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "NUMBER(7,2)  | 92                 | BigDecimal:92.00",
            "NUMBER(7,2)  | 92.005             | BigDecimal:92.01",
            "NUMBER(7,2)  | 92.004             | BigDecimal:92.00",
            "NUMBER(7,2)  | -2.005             | BigDecimal:-2.01",
            "NUMBER(7,2)  | \"12.5\"           | BigDecimal:12.50",
            "NUMBER(7,2)  | \" 7 \"            | BigDecimal:7.00",
            "NUMBER(7,2)  | \"1.23E2\"         | BigDecimal:123.00",
            "NUMBER(7,2)  | 1.23E2             | BigDecimal:123.00",
            "NUMBER(7,2)  | 99999.99           | BigDecimal:99999.99",
            "NUMBER(7,2)  | 99999.995          | ERR:Numeric value '***' is out of range",
            "NUMBER(7,2)  | 100000             | ERR:Numeric value '***' is out of range",
            "NUMBER(7,2)  | -100000            | ERR:Numeric value '***' is out of range",
            "NUMBER(7,2)  | 0                  | BigDecimal:0.00",
            "NUMBER(7,2)  | 1e-400             | BigDecimal:0.00",
            "NUMBER(7,2)  | 1e400              | ERR:Numeric value '***' is out of range",
            "NUMBER(7,2)  | \"1e999999999\"    | ERR:Numeric value '***' is out of range",
            "NUMBER(7,2)  | \"1e-999999999\"   | BigDecimal:0.00",
            "NUMBER(2,2)  | 0.994              | BigDecimal:0.99",
            "NUMBER(2,2)  | 0.995              | ERR:Numeric value '***' is out of range",
            "NUMBER       | 2.5                | Long:3",
            "NUMBER       | -2.5               | Long:-3",
            "NUMBER       | 2.4999             | Long:2",
            "INTEGER      | 42                 | Long:42",
            "INTEGER      | -9223372036854775808 | Long:-9223372036854775808",
            "INTEGER      | 9223372036854775807  | Long:9223372036854775807",
            "INTEGER      | 12345678901234567890123 | BigDecimal:12345678901234567890123",
            "INTEGER      | 99999999999999999999999999999999999999 | BigDecimal:99999999999999999999999999999999999999",
            "INTEGER      | 100000000000000000000000000000000000000 | ERR:Numeric value '***' is out of range",
            "NUMBER(3,0)  | 999                | Long:999",
            "NUMBER(3,0)  | -999               | Long:-999",
            "NUMBER(3,0)  | 1000               | ERR:Numeric value '***' is out of range",
            "NUMBER(3,0)  | 999.5              | ERR:Numeric value '***' is out of range",
            "NUMBER(10,2) | \"12345678901\"    | ERR:Numeric value '***' is out of range",
            "NUMBER(38,20) | \"99999999999999999.99\" | BigDecimal:99999999999999999.99000000000000000000",
            "NUMBER(38,20) | \"999999999999999999999999999999.999999999\" | ERR:Numeric value '***' is out of range",
            "NUMBER       | \"abc\"            | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"not_a_number\"   | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"\"               | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"NaN\"            | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"Infinity\"       | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"1,000\"          | ERR:Numeric value '***' is not recognized",
            "NUMBER       | \"0x10\"           | ERR:Numeric value '***' is not recognized",
            "NUMBER       | true               | ERR:Failed to cast variant value *** to FIXED",
            "NUMBER       | {\"a\": 1}         | ERR:Failed to cast variant value *** to FIXED",
            "NUMBER       | [1]                | ERR:Failed to cast variant value *** to FIXED",
            "NUMBER       | null               | null",
    })
    void number(String type, String json, String expected) {
        check(type, json, expected);
    }

    /** §1.3: doubles, numeric strings and the special strings; no booleans or containers. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "FLOAT  | 1.5            | Double:1.5",
            "FLOAT  | 3              | Double:3.0",
            "DOUBLE | -1e-3          | Double:-0.001",
            "REAL   | \"2.5\"        | Double:2.5",
            "FLOAT  | \" 2.5e1 \"    | Double:25.0",
            "FLOAT  | \"NaN\"        | Double:NaN",
            "FLOAT  | \"nan\"        | Double:NaN",
            "FLOAT  | \"inf\"        | Double:Infinity",
            "FLOAT  | \"-inf\"       | Double:-Infinity",
            "FLOAT  | \"Infinity\"   | Double:Infinity",
            "FLOAT  | \"-Infinity\"  | Double:-Infinity",
            "FLOAT  | 1e400          | ERR:Numeric value '***' is out of range",
            "FLOAT  | \"-1e400\"     | ERR:Numeric value '***' is out of range",
            "FLOAT  | 1e-400         | Double:0.0",
            "FLOAT  | \"text\"       | ERR:Numeric value '***' is not recognized",
            "FLOAT  | \"1d\"         | ERR:Numeric value '***' is not recognized",
            "FLOAT  | \"0x1p3\"      | ERR:Numeric value '***' is not recognized",
            "FLOAT  | [1, 2]         | ERR:Failed to cast variant value *** to REAL",
            "FLOAT  | {}             | ERR:Failed to cast variant value *** to REAL",
            "FLOAT  | true           | ERR:Failed to cast variant value *** to REAL",
            "FLOAT  | null           | null",
    })
    void floating(String type, String json, String expected) {
        check(type, json, expected);
    }

    /** §1.4: JSON booleans and the 12 strings; HP rejects JSON numbers. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "true | Integer:1", "false | Integer:0",
            "\"true\" | Integer:1", "\"t\" | Integer:1", "\"yes\" | Integer:1", "\"y\" | Integer:1",
            "\"on\" | Integer:1", "\"1\" | Integer:1", "\"TRUE\" | Integer:1", "\"Yes\" | Integer:1",
            "\"false\" | Integer:0", "\"f\" | Integer:0", "\"no\" | Integer:0", "\"n\" | Integer:0",
            "\"off\" | Integer:0", "\"0\" | Integer:0", "\"OFF\" | Integer:0", "\"False\" | Integer:0",
            "\"random_string\" | ERR:Boolean value '***' is not recognized",
            "\"\" | ERR:Boolean value '***' is not recognized",
            "\" true\" | ERR:Boolean value '***' is not recognized",
            "0 | ERR:Failed to cast variant value *** to BOOLEAN",
            "1 | ERR:Failed to cast variant value *** to BOOLEAN",
            "42 | ERR:Failed to cast variant value *** to BOOLEAN",
            "-1 | ERR:Failed to cast variant value *** to BOOLEAN",
            "1.0 | ERR:Failed to cast variant value *** to BOOLEAN",
            "{\"a\": true} | ERR:Failed to cast variant value *** to BOOLEAN",
            "[true] | ERR:Failed to cast variant value *** to BOOLEAN",
            "null | null",
    })
    void bool(String json, String expected) {
        check("BOOLEAN", json, expected);
    }

    /** §1.5: AUTO formats, timestamps truncated to their date, integer strings by magnitude (UTC). */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "DATE | \"2024-01-15\"                        | String:2024-01-15",
            "DATE | \"2026-11-23T14:00:19.763520+00:00\"  | String:2026-11-23",
            "DATE | \"2026-11-23T23:30:00-05:00\"         | String:2026-11-23",
            "DATE | \"2024-01-15 10:00:00\"               | String:2024-01-15",
            "DATE | \"01/15/2024\"                        | String:2024-01-15",
            "DATE | \"15-Jan-2024\"                       | String:2024-01-15",
            "DATE | \"15-JAN-2024\"                       | String:2024-01-15",
            "DATE | \"Thu, 21 Dec 2000 16:01:07 +0200\"   | String:2000-12-21",
            "DATE | \"1705312800\"                        | String:2024-01-15",
            "DATE | \"1705312800000\"                     | String:2024-01-15",
            "DATE | \"-86400\"                            | String:1969-12-31",
            "DATE | 1705312800                            | String:2024-01-15",
            "DATE | 0                                     | String:1969-12-31",
            "DATE | 1705312800000                         | ERR:Failed to cast variant value *** to DATE (a JSON number is read as seconds",
            "DATE | \"not_a_date\"                        | ERR:Date '***' is not recognized",
            "DATE | \"2024-02-30\"                        | ERR:Date '***' is not recognized",
            "DATE | \"2024-13-01\"                        | ERR:Date '***' is not recognized",
            "DATE | \"15/01/2024\"                        | ERR:Date '***' is not recognized",
            "DATE | \"\"                                  | ERR:Date '***' is not recognized",
            "DATE | true                                  | ERR:Failed to cast variant value *** to DATE",
            "DATE | {}                                    | ERR:Failed to cast variant value *** to DATE",
            "DATE | null                                  | null",
    })
    void date(String type, String json, String expected) {
        check(type, json, expected);
    }

    /** §1.6: AUTO time formats; HP rejects offset-bearing times. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "TIME    | \"13:45:30\"            | String:13:45:30",
            "TIME    | \"13:45\"               | String:13:45:00",
            "TIME    | \"1:05\"                | String:01:05:00",
            "TIME    | \"13:45:30.123\"        | String:13:45:30.123000000",
            "TIME    | \"13:45:30.123456789\"  | String:13:45:30.123456789",
            "TIME(3) | \"13:45:30.123456789\"  | String:13:45:30.123000000",
            "TIME(0) | \"13:45:30.9\"          | String:13:45:30",
            "TIME    | \"01:02:03 PM\"         | String:13:02:03",
            "TIME    | \"12:00 AM\"            | String:00:00:00",
            "TIME    | \"12:30:00.5 pm\"       | String:12:30:00.500000000",
            "TIME    | \"3600\"                | String:01:00:00",
            "TIME    | \"00:00:00Z\"           | ERR:Time '***' is not recognized",
            "TIME    | \"13:45:30+05:00\"      | ERR:Time '***' is not recognized",
            "TIME    | \"13:45:30.1 +0500\"    | ERR:Time '***' is not recognized",
            "TIME    | \"not_a_time\"          | ERR:Time '***' is not recognized",
            "TIME    | \"24:00:00\"            | ERR:Time '***' is not recognized",
            "TIME    | \"13:60\"               | ERR:Time '***' is not recognized",
            "TIME    | \"13:45:60\"            | ERR:Time '***' is not recognized",
            "TIME    | \"13:00 PM\"            | ERR:Time '***' is not recognized",
            "TIME    | \"2024-01-15 10:00:00\" | ERR:Time '***' is not recognized",
            "TIME    | [1]                     | ERR:Failed to cast variant value *** to TIME",
            "TIME    | null                    | null",
    })
    void time(String type, String json, String expected) {
        check(type, json, expected);
    }

    /**
     * §1.7: NTZ keeps the wall clock as written (offset dropped); integer strings by magnitude in UTC; JSON
     * numbers are epoch seconds shifted to America/Los_Angeles (KC-E2E ts_epoch, TO_TS PARSE_JSON(0) example).
     */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "DATETIME         | \"2026-11-23T14:00:00+00:00\"         | String:2026-11-23 14:00:00",
            "DATETIME         | \"2026-11-23T14:00:19.763520+00:00\"  | String:2026-11-23 14:00:19.763520000",
            "TIMESTAMP_NTZ    | \"2024-01-15 10:00:00\"               | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:00:00.123456789Z\"    | String:2024-01-15 10:00:00.123456789",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:00:00+07:00\"         | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"2024-01-15 10:00:00 +0700\"         | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"2024-01-15 10:00:00-07\"            | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"2024-01-15T10\"                     | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:30\"                  | String:2024-01-15 10:30:00",
            "TIMESTAMP_NTZ    | \"2024-01-15\"                        | String:2024-01-15 00:00:00",
            "TIMESTAMP_NTZ    | \"01/15/2024 10:00:00\"               | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"Mon Jul 08 18:09:51 +0000 2013\"    | String:2013-07-08 18:09:51",
            "TIMESTAMP_NTZ    | \"Thu, 21 Dec 2000 04:01:07 PM +0200\" | String:2000-12-21 16:01:07",
            "TIMESTAMP_NTZ    | \"Thu, 21 Dec 2000 16:01:07.5 +0200\" | String:2000-12-21 16:01:07.500000000",
            "TIMESTAMP_NTZ    | \"21 Dec 2000 16:01:07\"              | String:2000-12-21 16:01:07",
            "TIMESTAMP_NTZ    | \"1705312800\"                        | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | \"1705312800123\"                     | String:2024-01-15 10:00:00.123000000",
            "TIMESTAMP_NTZ    | \"1705312800123456\"                  | String:2024-01-15 10:00:00.123456000",
            "TIMESTAMP_NTZ    | \"1705312800123456789\"               | String:2024-01-15 10:00:00.123456789",
            "TIMESTAMP_NTZ    | \"-1\"                                | String:1969-12-31 23:59:59",
            "TIMESTAMP_NTZ    | 1705312800                            | String:2024-01-15 02:00:00",
            "TIMESTAMP_NTZ    | 1712345678.123                        | String:2024-04-05 12:34:38.123000000",
            "TIMESTAMP_NTZ    | 0                                     | String:1969-12-31 16:00:00",
            "TIMESTAMP_NTZ    | -0.5                                  | String:1969-12-31 15:59:59.500000000",
            "TIMESTAMP_NTZ(3) | \"2024-01-15T10:00:00.123456789\"     | String:2024-01-15 10:00:00.123000000",
            "TIMESTAMP_NTZ(0) | \"2024-01-15T10:00:00.999\"           | String:2024-01-15 10:00:00",
            "TIMESTAMP_NTZ    | 1705312800000                         | ERR:Failed to cast variant value *** to TIMESTAMP_NTZ",
            "TIMESTAMP_NTZ    | \"not_a_timestamp\"                   | ERR:Timestamp '***' is not recognized",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:00:60\"               | ERR:Timestamp '***' is not recognized",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:00:00.1234567891\"    | ERR:Timestamp '***' is not recognized",
            "TIMESTAMP_NTZ    | \"2024-01-15T10:00:00+7\"             | ERR:Timestamp '***' is not recognized",
            "TIMESTAMP_NTZ    | \"2024-01-15X10:00:00\"               | ERR:Timestamp '***' is not recognized",
            "TIMESTAMP_NTZ    | true                                  | ERR:Failed to cast variant value *** to TIMESTAMP_NTZ",
            "TIMESTAMP_NTZ    | null                                  | null",
            "TIMESTAMP_LTZ    | \"2024-01-15T10:00:00+07:00\"         | String:2024-01-15 03:00:00",
            "TIMESTAMP_LTZ    | \"2024-01-15T10:00:00Z\"              | String:2024-01-15 10:00:00",
            "TIMESTAMP_LTZ    | \"2024-01-15T10:00:00\"               | String:2024-01-15 18:00:00",
            "TIMESTAMP_LTZ    | 1705312800                            | String:2024-01-15 10:00:00",
            "TIMESTAMP_LTZ    | \"1705312800\"                        | String:2024-01-15 10:00:00",
            "TIMESTAMP_TZ     | \"2024-01-15T10:00:00+07:00\"         | String:2024-01-15 10:00:00+07:00",
            "TIMESTAMP_TZ     | \"2024-01-15T10:00:00.25-03:30\"      | String:2024-01-15 10:00:00.250000000-03:30",
            "TIMESTAMP_TZ     | \"2024-01-15T10:00:00\"               | String:2024-01-15 10:00:00-08:00",
            "TIMESTAMP_TZ     | \"2024-07-15T10:00:00\"               | String:2024-07-15 10:00:00-07:00",
            "TIMESTAMP_TZ     | 1705312800                            | String:2024-01-15 02:00:00-08:00",
            "TIMESTAMP_TZ     | \"1705312800\"                        | String:2024-01-15 10:00:00+00:00",
    })
    void timestamp(String type, String json, String expected) {
        check(type, json, expected);
    }

    /** §1.8: VARIANT any value (strings stay strings, null is VARIANT null); OBJECT parses strings; ARRAY wraps. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "VARIANT | {\"a\": 1, \"b\": [1, 2 ], \"s\": \"x y\"} | String:{\"a\":1,\"b\":[1,2],\"s\":\"x y\"}",
            "VARIANT | \"hello\"                | String:\"hello\"",
            "VARIANT | \"{\\\"a\\\":1}\"        | String:\"{\\\"a\\\":1}\"",
            "VARIANT | \"42\"                   | String:\"42\"",
            "VARIANT | 42                       | String:42",
            "VARIANT | 1.50                     | String:1.50",
            "VARIANT | true                     | String:true",
            "VARIANT | null                     | String:null",
            "VARIANT | [ ]                      | String:[]",
            "OBJECT  | {\"k\": \"v\"}           | String:{\"k\":\"v\"}",
            "OBJECT  | \"{\\\"key\\\": \\\"value\\\"}\" | String:{\"key\":\"value\"}",
            "OBJECT  | \"not_json\"             | ERR:Failed to cast variant value *** to OBJECT",
            "OBJECT  | \"[1,2,3]\"              | ERR:Failed to cast variant value *** to OBJECT",
            "OBJECT  | \"{} {}\"                | ERR:Failed to cast variant value *** to OBJECT",
            "OBJECT  | [1]                      | ERR:Failed to cast variant value *** to OBJECT",
            "OBJECT  | 5                        | ERR:Failed to cast variant value *** to OBJECT",
            "OBJECT  | null                     | null",
            "ARRAY   | [1, 2]                   | String:[1,2]",
            "ARRAY   | \"[1,2]\"                | String:[\"[1,2]\"]",
            "ARRAY   | 5                        | String:[5]",
            "ARRAY   | {\"a\": 1}               | String:[{\"a\":1}]",
            "ARRAY   | null                     | null",
    })
    void semiStructured(String type, String json, String expected) {
        check(type, json, expected);
    }

    /** §1.9: Base64 (what default pipes decode and the SDK sends), stored as upper-case hex. */
    @ParameterizedTest(name = "{0} <- {1} => {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "BINARY    | \"SGVsbG8=\"  | String:48656C6C6F",
            "BINARY    | \"SGVsbG8\"   | String:48656C6C6F",
            "BINARY    | \"\"          | String:",
            "BINARY(5) | \"SGVsbG8=\"  | String:48656C6C6F",
            "BINARY(4) | \"SGVsbG8=\"  | ERR:Binary value '***' is too long and would be truncated (5 bytes, maximum 4)",
            "BINARY    | \"!!\"        | ERR:Binary value '***' is not a legal base64-encoded value",
            "BINARY    | 5             | ERR:Failed to cast variant value *** to BINARY",
            "BINARY    | null          | null",
    })
    void binary(String type, String json, String expected) {
        check(type, json, expected);
    }
}
