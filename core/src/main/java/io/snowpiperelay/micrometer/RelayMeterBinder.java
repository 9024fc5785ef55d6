package io.snowpiperelay.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerState;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes runners' metrics to Micrometer, one set per channel tagged {@code channel=<name>}. Micrometer is
 * an optional dependency of the relay: add {@code micrometer-core} to use this class.
 *
 * <pre>{@code
 * new RelayMeterBinder(group).bindTo(registry);
 * }</pre>
 *
 * <p>Gauges and counters read {@link ExactlyOnceChannelRunner#metrics()} when scraped; nothing is recorded on
 * the hot path. Thread-safe.
 */
public final class RelayMeterBinder implements MeterBinder {
    /** Gauge: highest offset confirmed committed. */
    public static final String COMMITTED_OFFSET = "snowpipe.relay.offset.committed";
    /** Gauge: highest offset appended (or dead-lettered). */
    public static final String APPENDED_OFFSET = "snowpipe.relay.offset.appended";
    /** Gauge: highest offset deleted from the source. */
    public static final String DELETED_OFFSET = "snowpipe.relay.offset.deleted";
    /** Gauge: rows appended but not yet confirmed. */
    public static final String UNCOMMITTED_ROWS = "snowpipe.relay.uncommitted.rows";
    /** Gauge: bytes appended but not yet confirmed. */
    public static final String UNCOMMITTED_BYTES = "snowpipe.relay.uncommitted.bytes";
    /** Gauge, seconds: age of the oldest unconfirmed row. */
    public static final String COMMIT_LAG = "snowpipe.relay.commit.lag";
    /** Counter: rows handed to the SDK. */
    public static final String ROWS_APPENDED = "snowpipe.relay.rows.appended";
    /** Counter: {@code appendRows} calls. */
    public static final String APPEND_CALLS = "snowpipe.relay.append.calls";
    /** Counter: channel reopens. */
    public static final String REOPENS = "snowpipe.relay.reopens";
    /** Counter: rows the service rejected. */
    public static final String ROW_ERRORS = "snowpipe.relay.row.errors";
    /** Counter: records dead-lettered. */
    public static final String DEAD_LETTERS = "snowpipe.relay.dead.letters";
    /** Counter: appends refused by the SDK as saturated. */
    public static final String BACKPRESSURE = "snowpipe.relay.backpressure";
    /** Gauge: 1 when the runner failed, else 0. */
    public static final String FAILED = "snowpipe.relay.failed";

    private final List<ExactlyOnceChannelRunner> runners;

    /** Binds the given runners. */
    public RelayMeterBinder(ExactlyOnceChannelRunner... runners) {
        this.runners = List.of(runners);
    }

    /** Binds every member of {@code group}. */
    public RelayMeterBinder(RelayGroup group) {
        this.runners = Objects.requireNonNull(group, "group").runners();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ExactlyOnceChannelRunner r : runners) {
            Tags tags = Tags.of("channel", r.channelName());
            gauge(registry, COMMITTED_OFFSET, r, tags, x -> x.metrics().committedOffset(), "highest offset confirmed committed");
            gauge(registry, APPENDED_OFFSET, r, tags, x -> x.metrics().appendedOffset(), "highest offset appended");
            gauge(registry, DELETED_OFFSET, r, tags, x -> x.metrics().deletedOffset(), "highest offset deleted from the source");
            gauge(registry, UNCOMMITTED_ROWS, r, tags, x -> x.metrics().uncommittedRows(), "rows appended, not yet confirmed");
            gauge(registry, UNCOMMITTED_BYTES, r, tags, x -> x.metrics().uncommittedBytes(), "bytes appended, not yet confirmed");
            Gauge.builder(COMMIT_LAG, r, x -> x.metrics().commitLag().toNanos() / 1e9)
                    .tags(tags).baseUnit("seconds").description("age of the oldest unconfirmed row").strongReference(true)
                    .register(registry);
            gauge(registry, FAILED, r, tags, x -> x.state() == RunnerState.FAILED ? 1 : 0, "1 when the runner failed");
            counter(registry, ROWS_APPENDED, r, tags, x -> x.metrics().rowsAppended(), "rows handed to the SDK");
            counter(registry, APPEND_CALLS, r, tags, x -> x.metrics().appendCalls(), "appendRows calls");
            counter(registry, REOPENS, r, tags, x -> x.metrics().reopenCount(), "channel reopens");
            counter(registry, ROW_ERRORS, r, tags, x -> x.metrics().rowErrorCount(), "rows rejected by the service");
            counter(registry, DEAD_LETTERS, r, tags, x -> x.metrics().deadLetterCount(), "records dead-lettered");
            counter(registry, BACKPRESSURE, r, tags, x -> x.metrics().backpressureCount(), "appends refused as saturated");
        }
    }

    private static void gauge(MeterRegistry registry, String name, ExactlyOnceChannelRunner r, Tags tags,
                              ToDoubleFunction<ExactlyOnceChannelRunner> f, String description) {
        // Strong references: the registry must not lose a gauge because the caller keeps no binder around.
        Gauge.builder(name, r, f).tags(tags).description(description).strongReference(true).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, ExactlyOnceChannelRunner r, Tags tags,
                                ToDoubleFunction<ExactlyOnceChannelRunner> f, String description) {
        FunctionCounter.builder(name, r, f).tags(tags).description(description).register(registry);
    }

}
