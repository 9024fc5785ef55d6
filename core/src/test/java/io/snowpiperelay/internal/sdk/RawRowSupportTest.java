package io.snowpiperelay.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.internal.RawJsonRow;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawRowSupportTest {

    @Test
    void aChannelWithoutTheSdksSerialiserFailsTheCheck() {
        assertThat(RawRowSupport.check(new Object())).isFalse();
    }

    /** A look-alike whose serialiser writes maps its own way: the check must notice the bytes differ. */
    static final class OtherSerialiser {
        @SuppressWarnings("unused")
        byte[] serializeRowsToBytes(Iterable<Map<String, Object>> rows) {
            StringBuilder out = new StringBuilder();
            rows.forEach(r -> out.append(r).append('\n'));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSerialiserThatWritesOtherBytesFailsTheCheck() {
        assertThat(RawRowSupport.check(new OtherSerialiser())).isFalse();
    }

    @Test
    void theFallbackHandsTheSdkPlainMapsWithTheSameContent() {
        RawJsonRow raw = RawJsonRow.of("{\"a\":1,\"b\":{\"c\":[true]}}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> plain = new LinkedHashMap<>(Map.of("x", 2));
        List<Map<String, Object>> rows = List.of(raw, plain);

        List<Map<String, Object>> converted = RawRowSupport.plain(rows);

        assertThat(converted).hasSize(2).noneMatch(r -> r instanceof RawJsonRow);
        assertThat(converted.get(0)).isEqualTo(Map.of("a", 1, "b", Map.of("c", List.of(true))));
        assertThat(converted.get(1)).isSameAs(plain);
        List<Map<String, Object>> noRaw = List.of(plain);
        assertThat(RawRowSupport.plain(noRaw)).as("nothing to replace: the same list").isSameAs(noRaw);
    }
}
