package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension on an instance field: a fresh emulator per test. Plus builder validation and lifecycle. */
class ExtensionIT {

    private static final Set<String> SEEN = new HashSet<>();

    @RegisterExtension
    final SnowpipeEmulatorExtension emulator = new SnowpipeEmulatorExtension(SnowpipeEmulator.builder()
            .sql("CREATE DATABASE D; CREATE TABLE D.PUBLIC.T (ID NUMBER);"));

    @RepeatedTest(2)
    void eachTestGetsAFreshEmulator() {
        SnowpipeEmulator e = emulator.emulator();
        assertThat(SEEN.add(e.toString())).isTrue();
        assertThat(e.queryForLong("SELECT COUNT(*) FROM T")).isZero();
        assertThat(emulator.url()).startsWith("http://127.0.0.1:");
        assertThat(emulator.clientProperties()).containsKeys("url", "user", "account", "role", "private_key",
                "max_buffered_kb_for_rowset_mode", "max_rowset_payload_size_mb", "target_rowset_payload_size_mb",
                "enable_rowset_compression");
        e.executeSql("INSERT INTO T VALUES (1);"); // unsupported statements are skipped, not fatal
    }

    @Test
    void builderValidatesAndCloseIsIdempotent() {
        assertThatThrownBy(() -> SnowpipeEmulator.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("70000");
        assertThatThrownBy(() -> SnowpipeEmulator.builder().commitLag(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commitLag");
        SnowpipeEmulator e = SnowpipeEmulator.builder().build();
        assertThatThrownBy(e::url).isInstanceOf(IllegalStateException.class);
        e.start();
        e.close();
        e.close();
        assertThatThrownBy(e::url).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SnowpipeEmulator.builder().sql("CREATE TABLE (").start()).isInstanceOf(RuntimeException.class);
    }
}
