package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link AppendBody} gives back exactly the NDJSON it was built from, plain or from its zstd frame. */
class AppendBodyTest {

    private static final byte[] NDJSON = "{\"A\":1}\n{\"A\":2}\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    @Test
    void plainBodiesKeepAnExactArrayAndCopyALongerOne() {
        AppendBody exact = AppendBody.plain(NDJSON, NDJSON.length);
        assertThat(exact.ndjson(null)).isSameAs(NDJSON);
        assertThat(exact.compressed()).isFalse();
        byte[] longer = Arrays.copyOf(NDJSON, NDJSON.length + 10);
        AppendBody trimmed = AppendBody.plain(longer, NDJSON.length);
        assertThat(trimmed.ndjson(null)).isNotSameAs(longer).isEqualTo(NDJSON);
        assertThat(trimmed.ndjsonLength()).isEqualTo(NDJSON.length);
    }

    @Test
    void zstdBodiesHoldTheFrameAndDecompressIntoAScratchBufferWhenItIsLargeEnough() {
        byte[] frame = Zstd.compress(NDJSON, 3);
        AppendBody body = AppendBody.zstd(frame, NDJSON.length);
        assertThat(body.compressed()).isTrue();
        assertThat(body.heldBytes()).isEqualTo(frame.length).isLessThan(NDJSON.length);
        assertThat(body.ndjsonLength()).isEqualTo(NDJSON.length);

        byte[] fresh = body.ndjson(null);
        assertThat(Arrays.copyOf(fresh, NDJSON.length)).isEqualTo(NDJSON);
        byte[] small = new byte[10];
        assertThat(body.ndjson(small)).isNotSameAs(small);
        byte[] scratch = new byte[NDJSON.length + 100];
        Arrays.fill(scratch, (byte) 'x');
        assertThat(body.ndjson(scratch)).isSameAs(scratch);
        assertThat(Arrays.copyOf(scratch, NDJSON.length)).isEqualTo(NDJSON);
    }
}
