package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutboxConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        OutboxConfig config = OutboxConfig.defaults();
        assertThat(config.busyTimeout()).isEqualTo(OutboxConfig.DEFAULT_BUSY_TIMEOUT);
        assertThat(config.synchronousMode()).isEqualTo(OutboxConfig.DEFAULT_SYNCHRONOUS_MODE)
                .isEqualTo(SynchronousMode.NORMAL);
        assertThat(config.deleteChunkRows()).isEqualTo(OutboxConfig.DEFAULT_DELETE_CHUNK_ROWS);
        assertThat(config.createIfMissing()).isEqualTo(OutboxConfig.DEFAULT_CREATE_IF_MISSING);
        assertThat(config.cacheSizeKib()).isEqualTo(OutboxConfig.DEFAULT_CACHE_SIZE_KIB);
        assertThat(config.packRows()).isEqualTo(OutboxConfig.DEFAULT_PACK_ROWS);
        assertThat(config.packBytes()).isEqualTo(OutboxConfig.DEFAULT_PACK_BYTES);
        assertThat(config.relayMmapMib()).isEqualTo(OutboxConfig.DEFAULT_RELAY_MMAP_MIB);
        assertThat(OutboxConfig.builder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    }

    @Test
    void builderSetsEveryFieldAndToBuilderRoundTrips() {
        OutboxConfig config = OutboxConfig.builder()
                .busyTimeout(Duration.ofMillis(1500))
                .synchronousMode(SynchronousMode.FULL)
                .deleteChunkRows(7)
                .createIfMissing(false)
                .cacheSizeKib(1024)
                .packRows(3)
                .packBytes(4096)
                .relayMmapMib(0)
                .build();
        assertThat(config.busyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.synchronousMode()).isEqualTo(SynchronousMode.FULL);
        assertThat(config.deleteChunkRows()).isEqualTo(7);
        assertThat(config.createIfMissing()).isFalse();
        assertThat(config.cacheSizeKib()).isEqualTo(1024);
        assertThat(config.packRows()).isEqualTo(3);
        assertThat(config.packBytes()).isEqualTo(4096);
        assertThat(config.relayMmapMib()).isZero();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config).isNotEqualTo(config.toBuilder().packRows(4).build());
        assertThat(config.toString()).contains("busyTimeout=PT1.5S", "synchronousMode=FULL", "deleteChunkRows=7");
    }

    @Test
    void validationNamesFieldValueAndRange() {
        assertThatThrownBy(() -> OutboxConfig.builder().busyTimeout(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("busyTimeout is PT-0.001S (-1 ms); allowed: 0 ms to 3600000 ms (PT1H)");
        assertThatThrownBy(() -> OutboxConfig.builder().busyTimeout(Duration.ofHours(2)).build())
                .hasMessage("busyTimeout is PT2H (7200000 ms); allowed: 0 ms to 3600000 ms (PT1H)");
        assertThatThrownBy(() -> OutboxConfig.builder().busyTimeout(null).build())
                .hasMessageStartingWith("busyTimeout must not be null; allowed: 0 ms to 3600000 ms");
        assertThatThrownBy(() -> OutboxConfig.builder().synchronousMode(null).build())
                .hasMessage("synchronousMode must not be null; allowed: [NORMAL, FULL]");
        assertThatThrownBy(() -> OutboxConfig.builder().deleteChunkRows(0).build())
                .hasMessage("deleteChunkRows is 0; allowed: 1 to 1000000");
        assertThatThrownBy(() -> OutboxConfig.builder().deleteChunkRows(1_000_001).build())
                .hasMessage("deleteChunkRows is 1000001; allowed: 1 to 1000000");
        assertThatThrownBy(() -> OutboxConfig.builder().cacheSizeKib(63).build())
                .hasMessage("cacheSizeKib is 63; allowed: 64 to 4194304");
        assertThatThrownBy(() -> OutboxConfig.builder().packRows(0).build())
                .hasMessage("packRows is 0; allowed: 1 (no packing) to 10000");
        assertThatThrownBy(() -> OutboxConfig.builder().packBytes(1023).build())
                .hasMessage("packBytes is 1023; allowed: 1024 to 67108864");
        assertThatThrownBy(() -> OutboxConfig.builder().relayMmapMib(2048).build())
                .hasMessage("relayMmapMib is 2048; allowed: 0 (off) to 2047");
    }

    @Test
    void boundsAreInclusive() {
        OutboxConfig lowest = OutboxConfig.builder().busyTimeout(Duration.ZERO).deleteChunkRows(1)
                .cacheSizeKib(OutboxConfig.MIN_CACHE_SIZE_KIB).build();
        OutboxConfig highest = OutboxConfig.builder().busyTimeout(OutboxConfig.MAX_BUSY_TIMEOUT)
                .deleteChunkRows(OutboxConfig.MAX_DELETE_CHUNK_ROWS).cacheSizeKib(OutboxConfig.MAX_CACHE_SIZE_KIB)
                .build();
        assertThat(lowest.deleteChunkRows()).isEqualTo(1);
        assertThat(highest.busyTimeout()).isEqualTo(Duration.ofHours(1));
    }
}
