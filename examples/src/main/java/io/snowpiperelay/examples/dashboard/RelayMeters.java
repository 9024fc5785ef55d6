package io.snowpiperelay.examples.dashboard;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snowpiperelay.examples.cli.SkiResortRelay;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import io.snowpiperelay.micrometer.RelayMeterBinder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Reads the relay's progress from the Micrometer meters that the library's {@link RelayMeterBinder} publishes
 * (one set per channel, tagged {@code channel}), sums them per table, and adds what only the example knows:
 * events generated and rows still in the outbox. Nothing here re-derives a relay metric.
 *
 * <p>Thread-safe: the registry and the outbox are.
 */
public final class RelayMeters implements Supplier<RelayReading> {

    private final MeterRegistry registry;
    private final List<SkiResortRelay.Channel> channels;
    private final SkiOutbox outbox;
    private final ToLongFunction<SkiTable> generated;

    /**
     * @param registry  a registry the relay's metrics are bound to ({@link SkiResortRelay#bindMetrics})
     * @param channels  the relay's channels
     * @param outbox    the outbox the channels drain, for the rows still in it
     * @param generated events generated per table
     */
    public RelayMeters(MeterRegistry registry, List<SkiResortRelay.Channel> channels, SkiOutbox outbox,
            ToLongFunction<SkiTable> generated) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.channels = List.copyOf(channels);
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.generated = Objects.requireNonNull(generated, "generated");
    }

    @Override
    public RelayReading get() {
        Map<SkiTable, long[]> sums = new EnumMap<>(SkiTable.class); // appended, committed, in outbox
        Map<SkiTable, Double> lags = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            sums.put(table, new long[3]);
            lags.put(table, 0.0);
        }
        List<ChannelProgress> channelProgress = new ArrayList<>();
        for (SkiResortRelay.Channel channel : channels) {
            String name = channel.channel();
            ChannelProgress progress = new ChannelProgress(name, channel.table(),
                    (long) gauge(RelayMeterBinder.APPENDED_OFFSET, name),
                    (long) gauge(RelayMeterBinder.COMMITTED_OFFSET, name),
                    (long) gauge(RelayMeterBinder.UNCOMMITTED_ROWS, name),
                    gauge(RelayMeterBinder.COMMIT_LAG, name),
                    (long) counter(RelayMeterBinder.REOPENS, name),
                    gauge(RelayMeterBinder.FAILED, name) > 0);
            channelProgress.add(progress);
            long[] sum = sums.get(channel.table());
            sum[0] += Math.max(progress.appendedOffset(), progress.committedOffset());
            sum[1] += progress.committedOffset();
            sum[2] += outbox.pendingCount(channel.stream());
            lags.merge(channel.table(), progress.commitLagSeconds(), Math::max);
        }
        List<TableProgress> tables = new ArrayList<>();
        for (SkiTable table : SkiTable.values()) {
            long[] sum = sums.get(table);
            tables.add(new TableProgress(table, generated.applyAsLong(table), sum[0], sum[1], sum[2], 0,
                    lags.get(table)));
        }
        return new RelayReading(tables, channelProgress);
    }

    private double gauge(String meter, String channel) {
        Gauge gauge = registry.find(meter).tag("channel", channel).gauge();
        if (gauge == null) {
            throw new IllegalStateException("meter " + meter + " of channel " + channel + " is not in the registry;"
                    + " bind the relay's metrics first (SkiResortRelay.bindMetrics)");
        }
        double value = gauge.value();
        return Double.isNaN(value) ? 0 : value;
    }

    private double counter(String meter, String channel) {
        FunctionCounter counter = registry.find(meter).tag("channel", channel).functionCounter();
        return counter == null ? 0 : counter.count();
    }
}
