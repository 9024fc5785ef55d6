package io.snowpiperelay.examples.dashboard;

import java.util.List;

/**
 * What a {@link RelayTimeline} samples: every table's and every channel's progress at one moment.
 *
 * @param tables   per table, in {@link io.snowpiperelay.examples.generator.SkiTable} order
 * @param channels per channel, in the relay's order
 */
public record RelayReading(List<TableProgress> tables, List<ChannelProgress> channels) {

    public RelayReading {
        tables = List.copyOf(tables);
        channels = List.copyOf(channels);
    }
}
