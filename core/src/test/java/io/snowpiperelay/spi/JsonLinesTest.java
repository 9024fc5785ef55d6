package io.snowpiperelay.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The eight-bytes-at-a-time scans give exactly the answers of a byte loop, at every position and alignment, and a
 * block of checked lines splits into one shared slice per line.
 */
class JsonLinesTest {
    /** Bytes next to the ones searched for, and bytes with the high bit set, where a faulty word test would err. */
    private static final byte[] NEIGHBOURS = {'a', '{', 0x09, 0x0B, 0x0C, 0x0E, 0x00, 0x01, (byte) 0x8A, (byte) 0x8D,
            (byte) 0xFF, (byte) 0x80, 0x7F, 0x1A, (byte) 0xC3, (byte) 0xA9};

    @Test
    void everyPlacementOfOneOrTwoBreaksInEveryRangeIsFound() {
        for (int length = 0; length <= 40; length++) {
            for (int first = -1; first < length; first++) {
                for (int second = -1; second < length; second += 3) {
                    for (byte kind : new byte[] {'\n', '\r'}) {
                        byte[] bytes = filler(length, first + second + length);
                        if (first >= 0) {
                            bytes[first] = kind;
                        }
                        if (second >= 0) {
                            bytes[second] = '\n';
                        }
                        for (int from = 0; from <= Math.min(length, 9); from++) {
                            for (int to = Math.max(from, length - 9); to <= length; to++) {
                                assertAgree(bytes, from, to);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomBytesAgreeWithTheByteLoop() {
        Random random = new Random(17);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes near the line breaks and high bytes: the cases a word test could get wrong.
                bytes[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256)
                        : NEIGHBOURS[random.nextInt(NEIGHBOURS.length)];
            }
            if (bytes.length > 0 && random.nextInt(3) == 0) {
                bytes[random.nextInt(bytes.length)] = random.nextBoolean() ? (byte) '\n' : (byte) '\r';
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertAgree(bytes, from, to);
        }
    }

    @Test
    void aRangeOutsideTheArrayIsRefused() {
        byte[] bytes = new byte[8];
        assertThatThrownBy(() -> JsonLines.indexOfLineFeed(bytes, 2, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> JsonLines.hasLineBreak(bytes, 5, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aBlockOfCheckedLinesBecomesOneSharedSliceRecordPerLineWithConsecutiveOffsets() {
        byte[] block = utf8("{\"a\":1}\n{\"b\":22}\n{}");
        List<SourceRecord> out = new ArrayList<>();

        assertThat(JsonLines.addCheckedLines(block, 0, block.length, 41, 0, 10, out)).isEqualTo(3);

        assertThat(out).extracting(SourceRecord::offset).containsExactly(41L, 42L, 43L);
        assertThat(out).extracting(SourceRecord::json).containsExactly("{\"a\":1}", "{\"b\":22}", "{}");
        for (SourceRecord r : out) {
            assertThat(r.jsonUtf8Block()).isSameAs(block); // no copy per record
            assertThat(r.isOneCheckedLine()).isTrue();
            assertThat(r.isCheckedObject()).isTrue();
            assertThat(r.jsonUtf8()).isEqualTo(r.json().getBytes(StandardCharsets.UTF_8)).isNotSameAs(block);
        }
        assertThat(out.get(1)).isEqualTo(SourceRecord.ofJsonUtf8(42, utf8("{\"b\":22}")));
    }

    @Test
    void linesAtOrBelowTheCursorAndBeyondTheLimitAreLeftOutButAllAreCounted() {
        byte[] block = utf8("x{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n");
        List<SourceRecord> out = new ArrayList<>(List.of(SourceRecord.ofJson(7, "{}")));

        // From index 1; a trailing separator counts an empty fifth line, which the caller compares with its count.
        assertThat(JsonLines.addCheckedLines(block, 1, block.length, 8, 8, 3, out)).isEqualTo(5);

        assertThat(out).extracting(SourceRecord::offset).containsExactly(7L, 9L, 10L);
        assertThat(out).extracting(SourceRecord::json).containsExactly("{}", "{\"a\":2}", "{\"a\":3}");
    }

    @Test
    void aCarriageReturnAnywhereRefusesTheBlockAndAddsNothing() {
        for (String text : List.of("{\"a\":1}\r\n{}", "{}\n{\"a\":\r1}", "\r", "{}\n{}\n{}\n{}\n{}\r")) {
            byte[] block = utf8(text);
            List<SourceRecord> out = new ArrayList<>(List.of(SourceRecord.ofJson(1, "{}")));
            assertThat(JsonLines.addCheckedLines(block, 0, block.length, 2, 0, 100, out)).as(text).isEqualTo(-1);
            assertThat(out).as(text).hasSize(1);
        }
    }

    @Test
    void randomBlocksSplitExactlyAsAByteLoopSplitsThem() {
        Random random = new Random(23);
        for (int round = 0; round < 5_000; round++) {
            StringBuilder text = new StringBuilder();
            int lines = 1 + random.nextInt(12);
            for (int line = 0; line < lines; line++) {
                if (line > 0) {
                    text.append('\n');
                }
                text.append("{\"k\":\"").append("é0a{".repeat(random.nextInt(9))).append("\"}");
            }
            byte[] block = utf8(text.toString());
            List<SourceRecord> out = new ArrayList<>();
            int max = 1 + random.nextInt(14);
            long after = random.nextInt(6);

            assertThat(JsonLines.addCheckedLines(block, 0, block.length, 1, after, max, out)).isEqualTo(lines);

            String[] expected = text.toString().split("\n", -1);
            int at = 0;
            for (int line = 0; line < lines && at < max; line++) {
                if (line + 1 > after) {
                    assertThat(out.get(at).offset()).isEqualTo(line + 1);
                    assertThat(out.get(at).json()).isEqualTo(expected[line]);
                    at++;
                }
            }
            assertThat(out).hasSize(at);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Checked by hand first: the description is built only for a failure (this runs a million times). */
    private static void assertAgree(byte[] bytes, int from, int to) {
        int index = JsonLines.indexOfLineFeed(bytes, from, to);
        if (index != byteLoopIndexOf(bytes, from, to)) {
            assertThat(index).as("indexOfLineFeed %s [%d, %d)", describe(bytes), from, to)
                    .isEqualTo(byteLoopIndexOf(bytes, from, to));
        }
        boolean found = JsonLines.hasLineBreak(bytes, from, to);
        if (found != byteLoopHasBreak(bytes, from, to)) {
            assertThat(found).as("hasLineBreak %s [%d, %d)", describe(bytes), from, to)
                    .isEqualTo(byteLoopHasBreak(bytes, from, to));
        }
    }

    private static byte[] filler(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = NEIGHBOURS[Math.floorMod(seed + i * 7, NEIGHBOURS.length)];
        }
        return bytes;
    }

    private static int byteLoopIndexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean byteLoopHasBreak(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private static String describe(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
