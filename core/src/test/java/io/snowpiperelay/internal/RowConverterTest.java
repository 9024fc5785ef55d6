package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.spi.JsonLines;
import io.snowpiperelay.spi.SourceRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowConverterTest {
    private final RowConverter converter = new RowConverter(1_024);
    private final RowConverter.Result out = new RowConverter.Result();

    private Map<String, Object> convert(String json) {
        assertThat(converter.convert(SourceRecord.ofJson(1, json), out)).as(out.failure).isTrue();
        return out.row;
    }

    @Test
    void decimalsKeepTheirPrecisionAsBigDecimal() {
        Map<String, Object> row = convert("{\"price\": 12345678901234567890.123456789012345678, \"f\": 0.1}");
        assertThat(row.get("price")).isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));
        assertThat(row.get("f")).isEqualTo(new BigDecimal("0.1"));
    }

    @Test
    void integersStayIntegersAndBigOnesAreKept() {
        Map<String, Object> row = convert("{\"a\": 1, \"b\": 9007199254740993, \"c\": 123456789012345678901234567890}");
        assertThat(row.get("a")).isEqualTo(1);
        assertThat(row.get("b")).isEqualTo(9007199254740993L);
        assertThat(row.get("c")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void nestedObjectsAndArraysStayMapsAndLists() {
        Map<String, Object> row = convert("{\"o\": {\"k\": [1, {\"x\": true}]}, \"n\": null, \"s\": \"é\"}");
        assertThat(row.get("o")).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) row.get("o");
        assertThat(o.get("k")).isEqualTo(List.of(1, Map.of("x", true)));
        assertThat(row).containsEntry("n", null).containsEntry("s", "é");
    }

    @Test
    void nonJsonIsRefusedWithAReasonThatDoesNotQuoteThePayload() {
        assertThat(converter.convert(SourceRecord.ofJson(1, "{\"card\": 4111-1111"), out)).isFalse();
        assertThat(out.failure).startsWith("payload is not valid JSON").doesNotContain("4111");
        assertThat(out.row).isNull();
    }

    @Test
    void anUnrecognisedTokenIsDescribedByItsPlaceOnly() {
        String json = "{\"customer\": confidential4711}";
        assertThat(converter.convert(SourceRecord.ofJson(1, json), out)).isFalse();
        assertThat(out.failure).isEqualTo("payload is not valid JSON: unexpected token at line 1, column 14");
    }

    @Test
    void noReasonQuotesAnyFragmentOfThePayload() {
        List<String> payloads = List.of(
                "{\"customer\": confidential4711}",
                "{\"customer\": \"confidential4711\"",
                "{\"customer\": \"confidential4711\" \"x\"}",
                "{confidential4711: 1}",
                "confidential4711",
                "\"confidential4711\"",
                "[\"confidential4711\"]",
                "{\"a\": 1} confidential4711",
                "{\"a\": 1} {\"confidential4711\": 2}",
                "{\"a\": 1}\n[\"confidential4711\"]",
                "{\"customer\": \"confidential\u0001 4711\"}",
                "{\"customer\": 4711e}",
                "{\"customer\": 0x4711}",
                "{\"customer\": \"" + "confidential4711".repeat(80) + "\"}");
        for (String json : payloads) {
            assertThat(converter.convert(SourceRecord.ofJson(1, json), out)).as(json).isFalse();
            assertThat(out.failure).as(json).isNotBlank()
                    .doesNotContain("confidential").doesNotContain("4711").doesNotContain("customer")
                    .doesNotContain("'").doesNotContain("\"");
        }
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        Map<String, String> kinds = Map.of("[1,2]", "ARRAY", "42", "NUMBER", "\"text\"", "STRING", "null", "NULL",
                "true", "BOOLEAN", "1.5", "NUMBER");
        kinds.forEach((json, kind) -> {
            assertThat(converter.convert(SourceRecord.ofJson(1, json), out)).as(json).isFalse();
            assertThat(out.failure).as(json).isEqualTo("payload is not a JSON object (found " + kind + ")");
        });
    }

    @Test
    void trailingContentIsRefused() {
        assertThat(converter.convert(SourceRecord.ofJson(1, "{\"a\":1} {\"b\":2}"), out)).isFalse();
        assertThat(out.failure).isEqualTo("payload has content after the JSON object at line 1, column 9");
    }

    @Test
    void anEmptyPayloadIsRefused() {
        assertThat(converter.convert(SourceRecord.ofJson(1, "  "), out)).isFalse();
        assertThat(out.failure).isEqualTo("payload is empty");
    }

    @Test
    void truncatedJsonSaysWhereItEnds() {
        assertThat(converter.convert(SourceRecord.ofJson(1, "{\"a\":\n  [1, 2"), out)).isFalse();
        assertThat(out.failure).startsWith("payload is not valid JSON: unexpected end of input at line 2, column");
    }

    @Test
    void oversizePayloadsAreRefusedBeforeParsing() {
        String big = "{\"v\":\"" + "é".repeat(600) + "\"}"; // 1,208 UTF-8 bytes
        assertThat(converter.convert(SourceRecord.ofJson(1, big), out)).isFalse();
        assertThat(out.failure).isEqualTo("payload is 1208 bytes, above maxRowBytes 1024");
    }

    @Test
    void utf8LengthCountsMultiByteCharacters() {
        assertThat(RowConverter.utf8Length("abc")).isEqualTo(3);
        assertThat(RowConverter.utf8Length("é")).isEqualTo(2);
        assertThat(RowConverter.utf8Length("€")).isEqualTo(3);
        assertThat(RowConverter.utf8Length("😀")).isEqualTo(4);
    }

    @Test
    void rowRecordsPassThroughWithAnEstimatedSize() {
        Map<String, Object> row = Map.of("id", 1, "name", "x".repeat(100));
        assertThat(converter.convert(SourceRecord.ofRow(1, row), out)).isTrue();
        assertThat(out.row).isSameAs(row);
        assertThat(out.bytes).isBetween(100, 200);
        assertThat(converter.convert(SourceRecord.ofRow(2, Map.of("v", "x".repeat(2_000))), out)).isFalse();
        assertThat(out.failure).startsWith("row is about ").endsWith(" bytes, above maxRowBytes 1024")
                .doesNotContain("xxx");
    }

    @Test
    void utf8BytesAndTextGiveTheSameRowsAndTheSameReasons() {
        List<String> payloads = List.of(
                "{\"a\": 1, \"b\": -2.50, \"c\": \"\u00e9\\u20ac\\n\", \"d\": [true, false, null], \"e\": {\"f\": {}}}",
                "{\"s\": \"é€\ud83d\ude00\", \"big\": 123456789012345678901234567890, \"x\": 1e3}",
                "{\"dup\": 1, \"dup\": 2}",
                "{}",
                "{\"card\": 4111-1111",
                "{\"customer\": confidential4711}",
                "{\"a\":1} {\"b\":2}",
                "{\"a\": 1} confidential4711",
                "[1,2]",
                "\"text\"",
                "  ",
                "{\"a\":\n  [1, 2");
        RowConverter.Result fromBytes = new RowConverter.Result();
        for (String json : payloads) {
            boolean textOk = converter.convert(SourceRecord.ofJson(1, json), out);
            boolean bytesOk = converter.convert(
                    SourceRecord.ofJsonUtf8(1, json.getBytes(StandardCharsets.UTF_8)), fromBytes);
            assertThat(bytesOk).as(json).isEqualTo(textOk);
            assertThat(fromBytes.row).as(json).isEqualTo(out.row);
            assertThat(fromBytes.failure).as(json).isEqualTo(out.failure);
            assertThat(fromBytes.bytes).as(json).isEqualTo(out.bytes);
        }
    }

    @Test
    void rowsKeepTheOrderOfTheirKeysAndARepeatedKeyKeepsItsLastValue() {
        Map<String, Object> row = convert("{\"z\": 1, \"a\": 2, \"m\": {\"y\": 1, \"b\": 2}, \"a\": 3}");
        assertThat(row).isInstanceOf(LinkedHashMap.class); // a repeated key: the map path, last value wins
        assertThat(row.keySet()).containsExactly("z", "a", "m");
        assertThat(row.get("a")).isEqualTo(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) row.get("m");
        assertThat(m.keySet()).containsExactly("y", "b");
    }

    @Test
    void theByteCountOfAUtf8RecordIsItsLength() {
        byte[] big = ("{\"v\":\"" + "é".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, big), out)).isFalse();
        assertThat(out.failure).isEqualTo("payload is 1208 bytes, above maxRowBytes 1024");
        byte[] small = "{\"v\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, small), out)).isTrue();
        assertThat(out.bytes).isEqualTo(small.length);
    }

    @Test
    void aOneLineObjectWithoutRepeatedKeysBecomesARawRowOfItsOwnBytes() {
        byte[] utf8 = "  {\"a\": 1, \"s\": \"\\u00e9€\", \"o\": {\"x\": [1.50, null]}}\t ".getBytes(StandardCharsets.UTF_8);
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, utf8), out)).isTrue();
        assertThat(out.row).isInstanceOf(RawJsonRow.class);
        RawJsonRow raw = (RawJsonRow) out.row;
        assertThat(new String(Arrays.copyOfRange(raw.utf8(), raw.from(), raw.from() + raw.length()),
                StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1, \"s\": \"\\u00e9€\", \"o\": {\"x\": [1.50, null]}}");
        assertThat(out.bytes).isEqualTo(utf8.length);
        // Read as a map, it is the map the map path gives.
        assertThat(out.row).isEqualTo(Map.of("a", 1, "s", "é€",
                "o", Map.of("x", Arrays.asList(new BigDecimal("1.50"), null))));
        assertThat(out.row.get("a")).isEqualTo(1);
        assertThat(out.row).hasSize(3).containsKey("o");
    }

    @Test
    void payloadsARawRowWouldChangeTakeTheMapPath() {
        List<String> payloads = List.of(
                "{\"a\": 1,\n \"b\": 2}",            // NDJSON: a line break would split the row
                "{\"a\": 1,\r \"b\": 2}",
                "{\"a\": 1, \"a\": 2}",               // a map keeps the last value; raw bytes would send both
                "{\"o\": {\"k\": 1, \"k\": 2}}",
                "{\"a\": [{\"k\": 1}, {\"k\": 2, \"j\": [{}], \"k\": 3}]}",
                wideObject(RawJsonRow.MAX_KEYS_PER_OBJECT + 1));
        RowConverter roomy = new RowConverter(1 << 20);
        for (String json : payloads) {
            assertThat(roomy.convert(SourceRecord.ofJson(1, json), out)).as(json).isTrue();
            assertThat(out.row).as(json).isNotInstanceOf(RawJsonRow.class);
        }
        assertThat(convert("{\"a\": 1, \"a\": 2}")).containsEntry("a", 2);
    }

    @Test
    void equalKeysInDifferentObjectsAreNotRepeatedKeys() {
        List<String> payloads = List.of(
                "{\"k\": {\"k\": {\"k\": 1}}, \"a\": [{\"k\": 1}, {\"k\": 2}], \"b\": {\"k\": [[{\"k\": 0}]]}}",
                "{\"x\": {\"a\": 1, \"b\": 2}, \"a\": 3, \"b\": {\"a\": [], \"x\": {}}, \"c\": [1, [2, {\"c\": 3}]]}",
                wideObject(RawJsonRow.MAX_KEYS_PER_OBJECT));
        RowConverter roomy = new RowConverter(1 << 20);
        for (String json : payloads) {
            assertThat(roomy.convert(SourceRecord.ofJson(1, json), out)).as(json).isTrue();
            assertThat(out.row).as(json).isInstanceOf(RawJsonRow.class);
        }
    }

    private static String wideObject(int keys) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keys; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    @Test
    void invalidUtf8IsRefusedNotRepaired() {
        // "{"v":"a?b"}" with a lone continuation byte where '?' is: a String decode would turn it into U+FFFD.
        byte[] utf8 = {'{', '"', 'v', '"', ':', '"', 'a', (byte) 0x80, 'b', '"', '}'};
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, utf8), out)).isFalse();
        assertThat(out.failure).startsWith("payload is not valid JSON");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheRawRow() {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, withBom), out)).isTrue();
        RawJsonRow raw = (RawJsonRow) out.row;
        assertThat(Arrays.copyOfRange(raw.utf8(), raw.from(), raw.from() + raw.length())).isEqualTo(json);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String rawText(RawJsonRow raw) {
        return new String(raw.utf8(), raw.from(), raw.length(), StandardCharsets.UTF_8);
    }

    @Test
    void aCheckedPayloadIsSentAsItsOwnBytesWithoutSurroundingWhitespace() {
        byte[] payload = utf8("  {\"a\":1,\"b\":\"x\"} \n");
        assertThat(converter.convert(SourceRecord.ofCheckedJsonUtf8(1, payload), out)).isTrue();
        assertThat(out.row).isInstanceOf(RawJsonRow.class);
        assertThat(rawText((RawJsonRow) out.row)).isEqualTo("{\"a\":1,\"b\":\"x\"}");
        assertThat(out.bytes).isEqualTo(payload.length); // the caps count the stored payload, as for unchecked ones
    }

    @Test
    void aCheckedPayloadIsTrustedNotScannedAgain() {
        // Single-line, within braces: the runner relies on the source's check and does not tokenise it.
        assertThat(converter.convert(SourceRecord.ofCheckedJsonUtf8(1, utf8("{\"a\":}")), out)).isTrue();
        assertThat(out.row).isInstanceOf(RawJsonRow.class);
        // The same bytes from a source that did not check them are refused.
        assertThat(converter.convert(SourceRecord.ofJsonUtf8(1, utf8("{\"a\":}")), out)).isFalse();
    }

    @Test
    void aWronglyMarkedPayloadWithALineBreakIsCheckedInFullAndNeverSentRaw() {
        // A line break would add or split NDJSON lines in the SDK's request: the guard sends it to the full check.
        assertThat(converter.convert(SourceRecord.ofCheckedJsonUtf8(1, utf8("{\"a\":1}\n{\"b\":2}")), out)).isFalse();
        assertThat(out.failure).isNotNull();
        assertThat(converter.convert(SourceRecord.ofCheckedJsonUtf8(1, utf8("{\n\"a\": 1\r\n}")), out)).isTrue();
        assertThat(out.row).isNotInstanceOf(RawJsonRow.class).containsEntry("a", 1);
        assertThat(converter.convert(SourceRecord.ofCheckedJsonUtf8(1, utf8("[1,2]")), out)).isFalse();
    }

    /** The records of a block of checked lines, as a packed outbox row gives them: offsets from 1. */
    private static List<SourceRecord> linesOf(byte[] block) {
        List<SourceRecord> lines = new ArrayList<>();
        JsonLines.addCheckedLines(block, 0, block.length, 1, 0, 10, lines);
        return lines;
    }

    @Test
    void aLineOfASharedBlockIsSentAsItsSliceWithoutACopy() {
        byte[] block = utf8("{\"a\":1}\n {\"b\":\"x\"} ");
        List<SourceRecord> lines = linesOf(block);

        assertThat(converter.convert(lines.get(1), out)).isTrue();
        RawJsonRow raw = (RawJsonRow) out.row;
        assertThat(raw.utf8()).isSameAs(block);
        assertThat(rawText(raw)).isEqualTo("{\"b\":\"x\"}");
        assertThat(raw).containsEntry("b", "x"); // the lazily parsed map reads the slice, not the whole block
        assertThat(out.bytes).isEqualTo(11);
        assertThat(out.utf8).isSameAs(block);
        assertThat(new String(out.utf8, out.utf8From, out.utf8Length, StandardCharsets.UTF_8))
                .isEqualTo(" {\"b\":\"x\"} ");
    }

    @Test
    void aLineOfASharedBlockThatIsNotWithinBracesIsCheckedInFullFromACopy() {
        List<SourceRecord> lines = linesOf(utf8("{\"a\":1}\n[1]\n{\"a\":2} {\"b\":3}"));

        assertThat(converter.convert(lines.get(1), out)).isFalse();
        assertThat(out.failure).contains("not a JSON object");
        // Within braces and one line, so trusted as checked: the source's check is what vouches for the middle.
        assertThat(converter.convert(lines.get(2), out)).isTrue();
        assertThat(converter.convert(lines.get(0), out)).isTrue();
        assertThat(rawText((RawJsonRow) out.row)).isEqualTo("{\"a\":1}");
    }

    @Test
    void theSourcesCheckAcceptsExactlyWhatIsSentRaw() {
        for (String plain : List.of("{\"a\":1}", " {\"a\":{\"a\":[1,{\"a\":2}]}}\n", "{}")) {
            assertThat(io.snowpiperelay.spi.JsonPayloads.isPlainObject(utf8(plain))).as(plain).isTrue();
            assertThat(RawJsonRow.of(utf8(plain))).as(plain).isNotNull();
        }
        for (String other : List.of("{\"a\":1,\"a\":2}", "{\n\"a\":1}", "{\"a\":1} {}", "[1]", "{\"a\":}", "", "nul")) {
            assertThat(io.snowpiperelay.spi.JsonPayloads.isPlainObject(utf8(other))).as(other).isFalse();
        }
    }
}
