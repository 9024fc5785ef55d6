package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Lines#nextNewline} finds the same '\n' as a plain loop, at every alignment and with any bytes around. */
class LinesTest {

    @Test
    void findsTheFirstNewlineLikeAPlainLoop() {
        Random random = new Random(20261202);
        byte[] alphabet = {'\n', '\r', 0, 1, 9, 10 + 128 - 256, (byte) 0x8A, (byte) 0xFF, 'a', '{', '"', 0x0B, 0x09};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = from;
            while (expected < to && b[expected] != '\n') {
                expected++;
            }
            assertThat(Lines.nextNewline(b, from, to)).isEqualTo(expected);
        }
    }
}
