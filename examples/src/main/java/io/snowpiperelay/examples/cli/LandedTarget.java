package io.snowpiperelay.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Picocli arg group: where the landed rows are read from, {@code --store} (an emulator's SQLite store) or
 * {@code --profile} (a real account), exactly one ({@code report}, {@code dashboard}).
 */
public final class LandedTarget {

    @Option(names = "--store", paramLabel = "FILE",
            description = "The emulator's SQLite store ('emulator --store FILE', 'demo --store FILE').")
    Path store;

    @Option(names = "--profile", paramLabel = "FILE", description = "The SDK's profile.json of the account.")
    Path profile;
}
