package io.snowpiperelay.benchmarks;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;

/** The emulator in this JVM ({@code --emulator in-process}): its CPU time and heap count as this JVM's. */
final class InProcessEmulator implements EmulatorHandle {

    private final SnowpipeEmulator emulator;

    private InProcessEmulator(SnowpipeEmulator emulator) {
        this.emulator = emulator;
    }

    static InProcessEmulator start(String sql, long commitLagMillis, Path store, long maxPendingMb) {
        SnowpipeEmulator.Builder builder = SnowpipeEmulator.builder()
                .sql(sql)
                .commitLag(Duration.ofMillis(commitLagMillis))
                .recordRequests(false);
        if (maxPendingMb > 0) {
            builder.maxPendingBytes(maxPendingMb * 1024 * 1024);
        }
        if (store != null) {
            builder.store(store);
        }
        return new InProcessEmulator(builder.start());
    }

    @Override
    public Properties clientProperties() {
        return emulator.clientProperties();
    }

    @Override
    public String url() {
        return emulator.url();
    }

    @Override
    public long cpuNanos() {
        return -1;
    }

    @Override
    public OptionalLong tableRowCount(String table) {
        try {
            return OptionalLong.of(emulator.queryForLong("SELECT COUNT(*) FROM \"" + table + "\""));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean clearTable(String table) {
        try {
            emulator.query("DELETE FROM \"" + table + "\"");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "in-process";
    }

    @Override
    public void close() {
        emulator.close();
    }
}
