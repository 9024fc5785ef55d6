package io.snowpiperelay.examples.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.generator.StreamLayout;
import io.snowpiperelay.micrometer.RelayMeterBinder;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The example's relay: one {@link RelayGroup} with one channel per outbox stream, on the table's pipe
 * ({@code LIFT_RIDE} stream(s) → {@code LIFT_RIDE_PIPE}, and so on). This is how an application wires the
 * library; {@code docs/using-the-library.md} shows the same with fewer lines.
 *
 * <p>Channel names are {@code <prefix>_<stream>}. They must stay the same across restarts of a relay on the
 * same outbox (the channel's committed offset is where the relay resumes), and must change when the outbox is
 * new (its offsets start again at 1, which the relay refuses as a recreated source).
 *
 * <p>Thread-safe as far as {@link RelayGroup} is; {@link #close()} is idempotent.
 */
public final class SkiResortRelay implements AutoCloseable {

    /** The channel name prefix of the {@code relay} command. */
    public static final String DEFAULT_CHANNEL_PREFIX = "SKI_RESORT";

    /**
     * One member of the group.
     *
     * @param table   the table its rows land in
     * @param stream  the outbox stream it drains
     * @param pipe    the pipe it appends to
     * @param channel the channel name
     */
    public record Channel(SkiTable table, String stream, PipeName pipe, String channel) {
    }

    private final List<Channel> channels;
    private final List<SkiOutbox.RelaySource> sources;
    private final RelayGroup group;

    private SkiResortRelay(List<Channel> channels, List<SkiOutbox.RelaySource> sources, RelayGroup group) {
        this.channels = List.copyOf(channels);
        this.sources = sources;
        this.group = group;
    }

    /**
     * Opens a source per stream and builds the (not yet started) group.
     *
     * @param outbox           the outbox; the caller keeps ownership
     * @param profile          where to send: Snowflake or an emulator
     * @param database         the database of the pipes
     * @param schema           the schema of the pipes
     * @param channelsPerTable channels (and streams) per table, see {@link StreamLayout}
     * @param channelPrefix    the channel name prefix
     * @param listener         observer of every channel's events
     * @throws io.snowpiperelay.sqlite.OutboxLockedException if another relay drains one of the streams
     */
    public static SkiResortRelay open(SkiOutbox outbox, ClientProfile profile, String database, String schema,
            int channelsPerTable, String channelPrefix, RelayListener listener) {
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(profile, "profile");
        List<Channel> channels = new ArrayList<>();
        List<SkiOutbox.RelaySource> sources = new ArrayList<>();
        RelayGroup.Builder builder = RelayGroup.builder()
                .profile(profile)
                .config(RunnerConfig.defaults())
                .clientNamePrefix("ski-resort")
                .listener(listener);
        try {
            for (SkiTable table : SkiTable.values()) {
                PipeName pipe = PipeName.of(database, schema, table.pipeName());
                for (String stream : StreamLayout.streams(table, channelsPerTable)) {
                    SkiOutbox.RelaySource source = outbox.openSource(stream);
                    sources.add(source);
                    String channel = channelPrefix + "_" + stream;
                    // The source is also the dead-letter handler: a row that cannot be sent is kept in the outbox.
                    builder.channel(pipe, channel, source.source(), source.deadLetters(), null);
                    channels.add(new Channel(table, stream, pipe, channel));
                }
            }
            return new SkiResortRelay(channels, sources, builder.build());
        } catch (RuntimeException e) {
            sources.forEach(SkiOutbox.RelaySource::close);
            throw e;
        }
    }

    /** Starts every channel. */
    public void start() {
        group.start();
    }

    /** The members, in table order. */
    public List<Channel> channels() {
        return channels;
    }

    /** Each channel's metrics, by channel name (see {@link RelayGroup#metrics()}). */
    public Map<String, RunnerMetrics> metrics() {
        return group.metrics();
    }

    /**
     * Publishes every channel's metrics to {@code registry} through the library's {@link RelayMeterBinder}
     * (one set of meters per channel, tagged {@code channel=<name>}, read when scraped).
     */
    public void bindMetrics(MeterRegistry registry) {
        new RelayMeterBinder(group).bindTo(registry);
    }

    /** The errors of failed channels, by channel name; empty while all are healthy. */
    public Map<String, Throwable> failures() {
        return group.failures();
    }

    /** Whether every channel's source is empty and everything appended is committed and deleted. */
    public boolean isDrained() {
        return group.isDrained();
    }

    /**
     * Waits until drained; see {@link RelayGroup#awaitDrained(Duration)}.
     *
     * @throws io.snowpiperelay.RelayException as soon as a channel fails
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return group.awaitDrained(timeout);
    }

    /** Stops every channel gracefully (bounded), then releases the outbox streams. Idempotent. */
    @Override
    public void close() {
        try {
            group.close();
        } finally {
            sources.forEach(SkiOutbox.RelaySource::close);
        }
    }
}
