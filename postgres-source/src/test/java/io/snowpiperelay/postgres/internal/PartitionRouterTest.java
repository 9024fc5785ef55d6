package io.snowpiperelay.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PartitionRouterTest {

    @Test
    void aKeysPartitionIsItsCrc32ModuloTheCount() {
        // The CRC-32 check value of "123456789" is 0xCBF43926 = 3421780262 (zlib, Python, every CRC-32/IEEE).
        assertThat(PartitionRouter.partitionOf("123456789", 1000)).isEqualTo((int) (3421780262L % 1000));
        assertThat(PartitionRouter.partitionOf("123456789", 7)).isEqualTo((int) (3421780262L % 7));
        assertThat(PartitionRouter.partitionOf("123456789", 1)).isZero();
    }

    @Test
    void keysSpreadOverEveryPartition() {
        Set<Integer> seen = new HashSet<>();
        for (int key = 0; key < 200; key++) {
            int partition = PartitionRouter.partitionOf("skier-" + key, 8);
            assertThat(partition).isBetween(0, 7);
            seen.add(partition);
        }
        assertThat(seen).hasSize(8);
    }

    @Test
    void rowsWithoutKeyGoRoundRobinPerStream() {
        PartitionRouter router = new PartitionRouter();
        assertThat(router.nextPartition("A", 3)).isZero();
        assertThat(router.nextPartition("A", 3)).isEqualTo(1);
        assertThat(router.nextPartition("B", 3)).isZero();
        assertThat(router.nextPartition("A", 3)).isEqualTo(2);
        assertThat(router.nextPartition("A", 3)).isZero();
        assertThat(router.nextPartition("A", 1)).isZero();
    }

    @Test
    void aCountBelowOneIsRefused() {
        assertThatThrownBy(() -> PartitionRouter.partitionOf("k", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionCount is 0");
    }
}
