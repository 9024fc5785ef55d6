package io.snowpiperelay.examples.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * Which outbox streams hold a table's events. One channel drains one stream, so a table relayed on N
 * channels needs its events spread over N streams: with one channel per table (the default) the stream is
 * the table name ({@code LIFT_RIDE}); with N &gt; 1 they are {@code LIFT_RIDE_0} … {@code LIFT_RIDE_<N-1>}.
 * The generator and the relay must agree on N; the relay warns about streams it was not told about.
 */
public final class StreamLayout {

    /** The most channels per table the commands accept. */
    public static final int MAX_CHANNELS_PER_TABLE = 16;

    private StreamLayout() {
    }

    /**
     * The streams of {@code table} for {@code channelsPerTable} channels, in partition order.
     *
     * @throws IllegalArgumentException if {@code channelsPerTable} is not 1 to {@value #MAX_CHANNELS_PER_TABLE}
     */
    public static List<String> streams(SkiTable table, int channelsPerTable) {
        validate(channelsPerTable);
        if (channelsPerTable == 1) {
            return List.of(table.streamName());
        }
        List<String> streams = new ArrayList<>(channelsPerTable);
        for (int partition = 0; partition < channelsPerTable; partition++) {
            streams.add(table.streamName() + "_" + partition);
        }
        return List.copyOf(streams);
    }

    /** Whether {@code stream} holds events of {@code table} under any layout. */
    public static boolean belongsTo(String stream, SkiTable table) {
        String base = table.streamName();
        if (stream.equalsIgnoreCase(base)) {
            return true;
        }
        if (stream.length() <= base.length() + 1 || !stream.regionMatches(true, 0, base + "_", 0, base.length() + 1)) {
            return false;
        }
        for (int i = base.length() + 1; i < stream.length(); i++) {
            if (!Character.isDigit(stream.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a channels-per-table value.
     *
     * @throws IllegalArgumentException naming the value and the allowed range
     */
    public static int validate(int channelsPerTable) {
        if (channelsPerTable < 1 || channelsPerTable > MAX_CHANNELS_PER_TABLE) {
            throw new IllegalArgumentException("channels per table is " + channelsPerTable + "; allowed: 1 to "
                    + MAX_CHANNELS_PER_TABLE);
        }
        return channelsPerTable;
    }
}
