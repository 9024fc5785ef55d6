package io.snowpiperelay.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time scans give exactly the answers of a byte loop, at every position and alignment. */
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
