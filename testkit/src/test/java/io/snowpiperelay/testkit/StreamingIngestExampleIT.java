package io.snowpiperelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snowflake's own example {@code com.snowflake.ingest.streaming.StreamingIngestExample} (inside the SDK jar), run
 * unchanged in a separate JVM against the emulator. It reads SNOWFLAKE_USER/ACCOUNT/URL/PRIVATE_KEY from the
 * environment, streams 100 rows {c1, ts} into TEST_DB.TEST_SCHEMA.TEST_PIPE with offset tokens "1".."100", waits for
 * commit of "100" and exits 0 on success. It sets none of the emulator-safe client properties. The table is the one
 * the examples' README creates: {@code ts TIMESTAMP_NTZ}, fed a JSON double of epoch seconds
 * ({@code toEpochMilli() / 1000.0}, which Jackson writes in exponent form such as {@code 1.795376055252E9}).
 */
class StreamingIngestExampleIT {

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(SnowpipeEmulator.builder()
            .commitLag(Duration.ofMillis(100))
            .sql("""
                    CREATE OR REPLACE DATABASE TEST_DB;
                    CREATE OR REPLACE SCHEMA TEST_DB.TEST_SCHEMA;
                    CREATE OR REPLACE TABLE TEST_DB.TEST_SCHEMA.TEST_TABLE (c1 NUMBER, c2 VARCHAR, ts TIMESTAMP_NTZ);
                    CREATE OR REPLACE PIPE TEST_DB.TEST_SCHEMA.TEST_PIPE AS
                      COPY INTO TEST_DB.TEST_SCHEMA.TEST_TABLE
                      FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))
                      MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE;
                    """));

    @TempDir
    Path dir;

    @Test
    void snowflakesPublishedExampleRunsUnchanged() throws Exception {
        SnowpipeEmulator emulator = EMULATOR.emulator();
        Path log = dir.resolve("example.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.snowflake.ingest.streaming.StreamingIngestExample")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SNOWFLAKE_USER", emulator.user());
        env.put("SNOWFLAKE_ACCOUNT", emulator.account());
        env.put("SNOWFLAKE_URL", emulator.url());
        env.put("SNOWFLAKE_PRIVATE_KEY", emulator.privateKeyPem());
        env.put("SS_LOG_LEVEL", "warn");
        Process process = pb.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println("[example] " + output.replace("\n", "\n[example] "));
        assertThat(exited).as("example exited within 120 s").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Ingest test completed successfully!");
        System.out.println("[example] channels: " + emulator.query("SELECT * FROM _emulator_channels"));
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TEST_TABLE")).isEqualTo(100);
        assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT C1) FROM TEST_TABLE")).isEqualTo(100);
        // every ts landed as a timestamp (no row rejected), in this century
        assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TEST_TABLE WHERE TS >= '2020-01-01'")).isEqualTo(100);
    }
}
