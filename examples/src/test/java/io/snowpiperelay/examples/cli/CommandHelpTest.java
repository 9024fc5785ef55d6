package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.SkiResort;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Scripts rely on these command and option names: each {@code --help} must list them. */
class CommandHelpTest {

    private static String[] run(String... args) {
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new String[] {String.valueOf(exitCode), out.toString(), err.toString()};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "generate | --outbox --rows --seed --rate --channels-per-table --world-start --outbox-user --outbox-password",
            "relay    | --outbox --profile --until-drained --channels-per-table --database --schema --channel-prefix --timeout --outbox-user --outbox-password",
            "report   | --store --profile --outbox --channels-per-table --database --schema --channel-prefix --outbox-user --outbox-password",
            "emulator | --port --store --profile-out --commit-lag",
            "demo     | --profile --rows --rate --seconds --seed --channels-per-table --outbox --store --commit-lag --plain --timeout --dashboard --dashboard-port --dashboard-linger --outbox-user --outbox-password",
            "dashboard | --store --profile --outbox --dashboard-port --port --dashboard-linger --channels-per-table --database --schema --channel-prefix --outbox-user --outbox-password"})
    void help_lists_every_option(String command, String options) {
        String[] result = run(command, "--help");

        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).startsWith("Usage: ski-resort " + command);
        for (String option : options.split(" ")) {
            assertThat(result[1]).as(command + " --help").contains(option);
        }
        assertThat(result[1]).contains("--help", "--version");
    }

    @Test
    void top_level_help_lists_the_commands() {
        String[] result = run("--help");

        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("demo", "generate", "relay", "report", "dashboard", "emulator");
    }

    @Test
    void a_missing_required_option_is_a_usage_error_naming_it() {
        String[] result = run("relay", "--outbox", "x.db");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--profile");
    }

    @Test
    void dashboard_needs_a_store_or_a_profile_and_a_valid_port() {
        String[] result = run("dashboard");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--store", "--profile");

        result = run("dashboard", "--store", "store.db", "--port", "70000");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--dashboard-port is 70000; allowed: 0 (any free port) to 65535");
    }

    @Test
    void report_needs_a_store_or_a_profile() {
        String[] result = run("report");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--store", "--profile");
    }
}
