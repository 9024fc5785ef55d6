package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.sqlite.SqliteOutbox;
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

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void rows_the_service_rejects_are_summed_up_by_relay_and_listed_per_table_by_report() {
        Path store = dir.resolve("store.db");
        Path outbox = dir.resolve("outbox.db");
        Path profile = dir.resolve("profile.json");
        SkiResort.quietNativeLog();
        try (SnowpipeEmulator emulator = EmulatorCommand.start(0, store, Duration.ofMillis(100))) {
            EmulatorCommand.writeProfile(emulator, profile);
            Result generate = run("generate", "--outbox", outbox.toString(), "--rows", "600", "--seed", "23");
            assertThat(generate.exitCode()).as(generate.err()).isZero();
            String stream = StreamLayout.streams(SkiTable.LIFT_RIDE, 1).get(0);
            try (SqliteOutbox box = SqliteOutbox.open(outbox)) {
                box.append(stream, "{\"TXID\":\"bad-1\",\"ACTIVATION_DAY_COUNT\":\"abc\"}");
                box.append(stream, "{\"TXID\":\"bad-2\",\"RIDE_TIME\":\"not a time\"}");
            }

            Result relay = run("relay", "--outbox", outbox.toString(), "--profile", profile.toString(),
                    "--until-drained", "--timeout", "3m");
            assertThat(relay.exitCode()).as("rejected rows are kept: %s%n%s", relay.out(), relay.err()).isZero();
            assertThat(relay.out()).doesNotContain("every row is committed")
                    .contains("Drained: the outbox is empty. Rows sent: ")
                    .contains("rejected by the service: 2, dead letters: ")
                    .contains("kept in the dead letters of " + outbox);

            Result report = run("report", "--store", store.toString(), "--outbox", outbox.toString());
            assertThat(report.out()).contains("Dead letters per table");
            String liftRide = report.out().lines().filter(l -> l.trim().startsWith("LIFT_RIDE ")
                    && report.out().indexOf(l) > report.out().indexOf("Dead letters per table")).findFirst()
                    .orElseThrow(() -> new AssertionError("no LIFT_RIDE dead-letter line in:\n" + report.out()));
            long letters = Long.parseLong(liftRide.trim().split("\\s+")[1].replace(",", ""));
            assertThat(letters).as("dead letters of LIFT_RIDE: the two rejected rows at least").isGreaterThanOrEqualTo(2);
            try (SqliteOutbox box = SqliteOutbox.open(outbox)) {
                assertThat(box.deadLetters(stream)).extracting(d -> d.payload())
                        .anyMatch(p -> p.contains("bad-1")).anyMatch(p -> p.contains("bad-2"));
            }
        }
    }
}
