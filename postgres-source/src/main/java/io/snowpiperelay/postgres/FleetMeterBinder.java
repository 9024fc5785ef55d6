package io.snowpiperelay.postgres;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link RelayFleet} member's lease metrics to Micrometer, tagged {@code member=<id>}. Micrometer is an
 * optional dependency of postgres-source: add {@code micrometer-core} to use this class. The runners' own metrics are
 * core's {@code RelayMeterBinder}.
 *
 * <pre>{@code
 * new FleetMeterBinder(fleet).bindTo(registry);
 * }</pre>
 *
 * Meters read {@link RelayFleet#metrics()} when scraped; nothing is recorded on the hot path. Thread-safe.
 */
public final class FleetMeterBinder implements MeterBinder {
    /** Gauge: partitions this member holds. */
    public static final String OWNED = "snowpipe.relay.fleet.partitions.owned";
    /** Gauge: this member's fair share at the last heartbeat. */
    public static final String TARGET = "snowpipe.relay.fleet.partitions.target";
    /** Gauge: live members at the last heartbeat. */
    public static final String MEMBERS = "snowpipe.relay.fleet.members";
    /** Counter: leases claimed. */
    public static final String CLAIMS = "snowpipe.relay.fleet.claims";
    /** Counter: leases lost (expired, taken over, runner failed). */
    public static final String LOSSES = "snowpipe.relay.fleet.losses";
    /** Counter: leases drained and released. */
    public static final String RELEASES = "snowpipe.relay.fleet.releases";
    /** Counter: heartbeats at which the member's share changed. */
    public static final String REBALANCES = "snowpipe.relay.fleet.rebalances";
    /** Counter: heartbeats that failed to reach the database. */
    public static final String HEARTBEAT_FAILURES = "snowpipe.relay.fleet.heartbeat.failures";

    private final RelayFleet fleet;

    /** Binds {@code fleet}'s member. */
    public FleetMeterBinder(RelayFleet fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("member", fleet.memberId());
        gauge(registry, OWNED, tags, m -> m.ownedPartitions());
        gauge(registry, TARGET, tags, m -> m.targetPartitions());
        gauge(registry, MEMBERS, tags, m -> m.liveMembers());
        counter(registry, CLAIMS, tags, FleetMetrics::claims);
        counter(registry, LOSSES, tags, FleetMetrics::losses);
        counter(registry, RELEASES, tags, FleetMetrics::releases);
        counter(registry, REBALANCES, tags, FleetMetrics::rebalances);
        counter(registry, HEARTBEAT_FAILURES, tags, FleetMetrics::heartbeatFailures);
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, ToDoubleFunction<FleetMetrics> value) {
        Gauge.builder(name, fleet, f -> value.applyAsDouble(f.metrics())).tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, Tags tags, ToDoubleFunction<FleetMetrics> value) {
        FunctionCounter.builder(name, fleet, f -> value.applyAsDouble(f.metrics())).tags(tags).register(registry);
    }
}
