package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The separate commands as a script uses them: generate twice into one outbox, relay it until drained to an
 * emulator (started the way the {@code emulator} command starts it), then report on the emulator's store.
 */
class CommandsIT {

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void generate_relay_until_drained_and_report_on_the_store() {
        Path store = dir.resolve("store.db");
        Path outbox = dir.resolve("outbox.db");
        Path profile = dir.resolve("profile.json");
        SkiResort.quietNativeLog();
        try (SnowpipeEmulator emulator = EmulatorCommand.start(0, store, Duration.ofMillis(100))) {
            EmulatorCommand.writeProfile(emulator, profile);

            Result first = run("generate", "--outbox", outbox.toString(), "--rows", "1500", "--seed", "21");
            Result second = run("generate", "--outbox", outbox.toString(), "--rows", "1000", "--seed", "22");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("already received 1,500 events");

            Result relay = run("relay", "--outbox", outbox.toString(), "--profile", profile.toString(),
                    "--until-drained", "--timeout", "3m");
            assertThat(relay.exitCode()).as("%s%n%s", relay.out(), relay.err()).isZero();
            assertThat(relay.out()).contains("Drained");

            Result report = run("report", "--store", store.toString(), "--outbox", outbox.toString());
            assertThat(report.exitCode()).as("%s%n%s", report.out(), report.err()).isZero();
            assertThat(report.out()).contains("All 2,500 generated rows landed, each exactly once.");
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")
                    + emulator.queryForLong("SELECT COUNT(*) FROM RESORT_TICKET")
                    + emulator.queryForLong("SELECT COUNT(*) FROM SEASON_PASS")).isEqualTo(2_500);
        }
    }
}
