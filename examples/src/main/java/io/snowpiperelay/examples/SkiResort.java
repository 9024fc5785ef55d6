package io.snowpiperelay.examples;

import io.snowpiperelay.examples.cli.DashboardCommand;
import io.snowpiperelay.examples.cli.DemoCommand;
import io.snowpiperelay.examples.cli.EmulatorCommand;
import io.snowpiperelay.examples.cli.GenerateCommand;
import io.snowpiperelay.examples.cli.RelayCommand;
import io.snowpiperelay.examples.cli.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar ski-resort.jar <command>}: the ski-resort example of snowpipe-relay, a Java take on
 * Snowflake's "streaming data pipeline" quickstart. Commands: {@code demo} (everything in one process),
 * {@code generate}, {@code relay}, {@code report}, {@code dashboard} and {@code emulator}.
 */
@Command(name = "ski-resort",
        mixinStandardHelpOptions = true,
        version = "ski-resort (snowpipe-relay examples) 0.1.0-SNAPSHOT",
        description = {
                "The ski-resort example of snowpipe-relay: day tickets, season passes and lift rides written to a"
                        + " local SQLite outbox and relayed into Snowflake through Snowpipe Streaming, exactly once.",
                "",
                "Start with 'demo': it runs everything against an embedded Snowpipe Streaming emulator."},
        subcommands = {
                DemoCommand.class,
                GenerateCommand.class,
                RelayCommand.class,
                ReportCommand.class,
                DashboardCommand.class,
                EmulatorCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'ski-resort help <command>' or '<command> --help' for a command's options."})
public final class SkiResort implements Runnable {

    /** The property and environment variable the SDK's native core reads its log level from. */
    static final String SDK_LOG_LEVEL = "SS_LOG_LEVEL";
    /** The logback configuration inside the jar (not named logback.xml: this jar is also a library). */
    static final String LOGBACK_CONFIGURATION = "ski-resort-logback.xml";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs a command and exits with its exit code. */
    public static void main(String[] args) {
        configureRuntime();
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding: {@code SkiResort.commandLine().execute("demo", "--rows", "2000")}. */
    public static CommandLine commandLine() {
        return new CommandLine(new SkiResort())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(SkiResort::reportFailure);
    }

    /**
     * A command failed with an exception: print what happened in one or two lines (the project's exceptions
     * say what to do; none carries a secret), with the stack trace only for unexpected programming errors.
     */
    private static int reportFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = commandLine.getErr();
        StringBuilder message = new StringBuilder("error: ").append(failure.getMessage());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append("\n  caused by: ").append(cause.getMessage());
            }
        }
        err.println(message);
        boolean expected = failure instanceof io.snowpiperelay.RelayException
                || failure instanceof IllegalArgumentException
                || failure instanceof IllegalStateException
                || failure instanceof java.io.UncheckedIOException
                || failure instanceof java.io.IOException;
        if (!expected) {
            failure.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /**
     * Quiet defaults, set before anything logs or loads the SDK.
     *
     * <p>The SDK's native core prints its log straight to stdout (not through SLF4J): at its default level,
     * INFO, several lines per channel and per status read; at WARN, its internal flow-control messages
     * ("backpressure: waiting to send data") whenever the relay appends faster than a flush. Either would
     * break the live view and the report, so the jar runs it at ERROR. The SDK reads {@code SS_LOG_LEVEL} as
     * a Java system property first and as an environment variable second, once, when the first client is
     * built; a system property set here therefore works in-process. A value the user gives (property or
     * environment) wins.
     */
    public static void configureRuntime() {
        quietNativeLog();
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
    }

    /** Sets {@code SS_LOG_LEVEL=error} for the SDK's native core unless the user chose a level. */
    public static void quietNativeLog() {
        if (System.getProperty(SDK_LOG_LEVEL) == null && System.getenv(SDK_LOG_LEVEL) == null) {
            System.setProperty(SDK_LOG_LEVEL, "error");
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
