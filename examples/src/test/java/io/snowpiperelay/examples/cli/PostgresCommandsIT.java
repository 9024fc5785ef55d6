package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.SkiResort;
import io.snowpiperelay.postgres.PostgresServerExtension;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands on a PostgreSQL outbox ({@code --outbox jdbc:postgresql://...}): generate, relay until drained and
 * report against it, then a demo on the same database; the password given never shows in any output.
 */
class PostgresCommandsIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    /** The server trusts local logins, so any password is accepted; it must never be printed. */
    private static final String PASSWORD = "pw-that-must-not-show-7f3a";

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
        void assertNoPassword() {
            assertThat(out + err).doesNotContain(PASSWORD);
        }
    }

    private static Result run(String... args) {
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        Result result = new Result(commandLine.execute(args), out.toString(), err.toString());
        result.assertNoPassword();
        return result;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void generate_relay_report_and_demo_on_a_postgres_outbox() {
        Path store = dir.resolve("store.db");
        Path profile = dir.resolve("profile.json");
        String outbox = POSTGRES.jdbcUrl();
        String user = PostgresServerExtension.SUPERUSER;
        SkiResort.quietNativeLog();
        try (SnowpipeEmulator emulator = EmulatorCommand.start(0, store, Duration.ofMillis(100))) {
            EmulatorCommand.writeProfile(emulator, profile);

            Result first = run("generate", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                    "--rows", "1500", "--seed", "31");
            Result second = run("generate", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                    "--rows", "1000", "--seed", "32");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("into " + outbox + " (public.snowpipe_outbox)");
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("already received 1,500 events");

            Result relay = run("relay", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                    "--profile", profile.toString(), "--until-drained", "--timeout", "3m");
            assertThat(relay.exitCode()).as("%s%n%s", relay.out(), relay.err()).isZero();
            assertThat(relay.out()).contains("Drained");

            Result report = run("report", "--store", store.toString(), "--outbox", outbox, "--outbox-user", user,
                    "--outbox-password", PASSWORD);
            assertThat(report.exitCode()).as("%s%n%s", report.out(), report.err()).isZero();
            assertThat(report.out()).contains("All 2,500 generated rows landed, each exactly once.");
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")
                    + emulator.queryForLong("SELECT COUNT(*) FROM RESORT_TICKET")
                    + emulator.queryForLong("SELECT COUNT(*) FROM SEASON_PASS")).isEqualTo(2_500);
        }

        // The demo on the same database: its own emulator and channels, the outbox's streams are empty again.
        Result demo = run("demo", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                "--rows", "2000", "--rate", "4000", "--seed", "33", "--commit-lag", "100ms", "--plain",
                "--timeout", "3m");
        assertThat(demo.exitCode()).as("%s%n%s", demo.out(), demo.err()).isZero();
        assertThat(demo.out()).contains("via    outbox " + outbox, "each exactly once", "OK: every count matches");
    }

    @Test
    void generate_spreads_streams_over_partitions_in_tables_of_its_own_which_a_single_relay_refuses() throws Exception {
        String outbox = POSTGRES.jdbcUrl();
        String user = PostgresServerExtension.SUPERUSER;
        Result generate = run("generate", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                "--table-prefix", "ski_fleet", "--partitions", "4", "--rows", "400", "--seed", "41");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).contains("(public.ski_fleet)");
        try (Connection c = POSTGRES.superuser().getConnection();
             ResultSet rows = c.createStatement().executeQuery(
                     "SELECT count(DISTINCT partition), count(*) FROM public.ski_fleet WHERE stream = 'LIFT_RIDE'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).as("partitions holding lift rides").isEqualTo(4);
            assertThat(rows.getLong(2)).isPositive();
        }

        // A relay without --fleet reads partition 0 only: it refuses rather than leave three quarters behind.
        Path profile = dir.resolve("profile.json");
        try (SnowpipeEmulator emulator = EmulatorCommand.start(0, dir.resolve("store.db"), Duration.ofMillis(100))) {
            EmulatorCommand.writeProfile(emulator, profile);
            Result relay = run("relay", "--outbox", outbox, "--outbox-user", user, "--outbox-password", PASSWORD,
                    "--table-prefix", "ski_fleet", "--profile", profile.toString(), "--until-drained",
                    "--timeout", "1m");
            assertThat(relay.exitCode()).isNotZero();
            assertThat(relay.out() + relay.err()).contains("has rows in partition", "partition 0 only", "RelayFleet");
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE")).isZero();
        }

        // Partitions and table prefixes belong to a PostgreSQL outbox; an SQLite file has neither.
        Result onFile = run("generate", "--outbox", dir.resolve("outbox.db").toString(), "--partitions", "4",
                "--rows", "10");
        assertThat(onFile.exitCode()).isEqualTo(2);
        assertThat(onFile.err()).contains("apply to a PostgreSQL --outbox");
    }

    @Test
    void a_report_on_a_database_without_the_outbox_tables_fails_instead_of_creating_them() throws Exception {
        String otherDatabase = "jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/template1";
        Path store = java.nio.file.Files.createFile(dir.resolve("empty-store.db"));
        Result report = run("report", "--store", store.toString(), "--outbox", otherDatabase, "--outbox-user",
                PostgresServerExtension.SUPERUSER, "--outbox-password", PASSWORD);
        assertThat(report.exitCode()).isNotZero();
        assertThat(report.err()).contains("createTables is false");
    }
}
