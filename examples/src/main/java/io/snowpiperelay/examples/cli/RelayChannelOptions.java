package io.snowpiperelay.examples.cli;

import io.snowpiperelay.PipeName;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Picocli mixin: which channels of a relay running elsewhere to look at with {@code --profile} ({@code report},
 * {@code dashboard}), and the channel list they give.
 */
public final class RelayChannelOptions {

    @Option(names = "--channels-per-table", paramLabel = "N", defaultValue = "1",
            description = "With --profile and no --outbox: the channels to look at (default: ${DEFAULT-VALUE}).")
    int channelsPerTable;

    @Option(names = "--database", paramLabel = "NAME", defaultValue = SetupSql.DATABASE,
            description = "With --profile: database of the pipes (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = SetupSql.SCHEMA,
            description = "With --profile: schema of the pipes (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--channel-prefix", paramLabel = "PREFIX", defaultValue = SkiResortRelay.DEFAULT_CHANNEL_PREFIX,
            description = "With --profile: the relay's channel prefix (default: ${DEFAULT-VALUE}).")
    String channelPrefix;

    /** One relay channel: its table, the outbox stream it carries and its name. */
    record Channel(SkiTable table, String stream, String name) { }

    /**
     * The relay's channels, table by table: one per stream of {@code box} when given, else the
     * {@code --channels-per-table} layout.
     */
    List<Channel> channels(SkiOutbox box) {
        List<Channel> channels = new ArrayList<>();
        for (SkiTable table : SkiTable.values()) {
            List<String> streams = new ArrayList<>();
            if (box != null) {
                box.streams().stream().filter(stream -> StreamLayout.belongsTo(stream, table)).forEach(streams::add);
            } else {
                streams.addAll(StreamLayout.streams(table, channelsPerTable));
            }
            for (String stream : streams) {
                channels.add(new Channel(table, stream, channelPrefix + "_" + stream));
            }
        }
        return channels;
    }

    /** The channels' names per pipe, as {@link CommittedOffsets#read} takes them. */
    Map<PipeName, List<String>> byPipe(List<Channel> channels) {
        Map<PipeName, List<String>> byPipe = new LinkedHashMap<>();
        for (Channel channel : channels) {
            byPipe.computeIfAbsent(PipeName.of(database, schema, channel.table().pipeName()), p -> new ArrayList<>())
                    .add(channel.name());
        }
        return byPipe;
    }
}
