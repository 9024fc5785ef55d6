package io.snowpiperelay.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the end-to-end tool: a tiny run of every mode against a real emulator in a child JVM completes,
 * verifies its rows, and writes the JSON keys scripts rely on. No timing is asserted: figures from a shared CI
 * machine mean nothing.
 */
class EndToEndIT {

    @TempDir
    Path dir;

    @Test
    void tinyRunOfEveryModeWritesTheReport() throws Exception {
        Path out = dir.resolve("result.json");

        int exitCode = EndToEnd.run("--table", "LIFT_RIDE", "--rows", "2000", "--channels", "1", "--repeats", "1",
                "--ingest-request-rows", "500", "--warmup-rows", "500", "--timeout-seconds", "120", "--work-dir", dir.resolve("work").toString(),
                "--emulator-jvm-args", "-Xmx256m", "--out", out.toString());

        assertThat(exitCode).as("exit code (0 = every mode ran and verified)").isZero();
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.path("verified").asBoolean()).isTrue();
        for (String mode : new String[] {"sdk-ceiling", "relay", "naive"}) {
            JsonNode node = report.path("modes").path(mode);
            assertThat(node.path("rowsPerSecond").isNumber()).as(mode + ".rowsPerSecond").isTrue();
            assertThat(node.path("rowsPerSecond").asDouble()).as(mode + ".rowsPerSecond").isPositive();
            assertThat(node.path("rowsPerSecondMin").isNumber()).as(mode + ".rowsPerSecondMin").isTrue();
            assertThat(node.path("rowsPerSecondMax").isNumber()).as(mode + ".rowsPerSecondMax").isTrue();
            assertThat(node.path("runs").get(0).path("verifiedRows").asLong()).as(mode + " verified rows")
                    .isEqualTo(2000);
        }
        assertThat(report.path("ratios").path("relayToNaive").isNumber()).isTrue();
        assertThat(report.path("ratios").path("relayToCeiling").isNumber()).isTrue();
        assertThat(report.path("emulator").path("rowsPerSecond").isNumber()).isTrue();
    }

    @Test
    void relayRunsOfTicketsAgainstTheInProcessEmulatorAndTheDiscardingServer() throws Exception {
        Path out = dir.resolve("tickets.json");

        int exitCode = EndToEnd.run("--table", "RESORT_TICKET", "--rows", "2000", "--channels", "2", "--repeats", "1",
                "--modes", "relay,relay-discard", "--emulator", "in-process", "--emulator-jvm-args", "-Xmx256m", "--warmup-rows", "0", "--timeout-seconds", "120",
                "--work-dir", dir.resolve("work2").toString(), "--out", out.toString());

        assertThat(exitCode).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.path("modes").path("relay").path("rowsPerSecond").asDouble()).isPositive();
        assertThat(report.path("modes").path("relay").path("channels").asInt()).isEqualTo(2);
        assertThat(report.path("modes").path("relay-discard").path("runs").get(0).path("verifiedRows").asLong())
                .isEqualTo(2000);
        assertThat(report.path("ratios").path("relayToNaive").isNull()).as("no naive run, no ratio").isTrue();
    }

    @Test
    void relayRunOnThePostgresOutboxStartsItsOwnServerAndVerifies() throws Exception {
        Path out = dir.resolve("postgres.json");

        int exitCode = EndToEnd.run("--table", "LIFT_RIDE", "--rows", "2000", "--channels", "2", "--repeats", "1",
                "--modes", "relay", "--source", "postgres", "--emulator", "in-process", "--warmup-rows", "0",
                "--timeout-seconds", "120", "--work-dir", dir.resolve("work3").toString(), "--out", out.toString());

        assertThat(exitCode).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toFile());
        assertThat(report.path("source").asText()).isEqualTo("postgres");
        assertThat(report.path("modes").path("relay").path("rowsPerSecond").asDouble()).isPositive();
        assertThat(report.path("modes").path("relay").path("runs").get(0).path("verifiedRows").asLong())
                .isEqualTo(2000);
    }
}
