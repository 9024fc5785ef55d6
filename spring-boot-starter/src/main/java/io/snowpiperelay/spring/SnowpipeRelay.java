package io.snowpiperelay.spring;

import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.RelayFleet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The relay of the application: a {@link RelayGroup} of every configured channel, started and stopped with
 * the application context.
 *
 * <ul>
 *   <li>Starts when the context has started its singletons (phase {@link #PHASE}: before the web server, so
 *       nothing is lost if requests write to the outbox at once).</li>
 *   <li>Stops after the web server's graceful shutdown and before any bean is destroyed, so before the
 *       {@code DataSource} its sources read: it stops reading, waits up to {@code snowpipe.relay.runner.close-timeout}
 *       for what it appended to be committed, deletes what was confirmed and closes the channels. What was not
 *       confirmed stays in the source and is sent by the next start: exactly once either way.</li>
 *   <li>Starts once: a group cannot be restarted after {@link #stop()}; restart the application.</li>
 * </ul>
 *
 * <p>With {@code snowpipe.relay.fleet.enabled=true} the PostgreSQL-outbox channels run in a {@link RelayFleet}
 * member instead ({@link #fleet()}): started on a thread of its own with the relay, closed first when it stops
 * (drain, release the leases, leave), so the other members take the partitions over at once.
 *
 * <p>Thread-safe. A channel that fails does not stop the others; {@link #group()}{@code .failures()},
 * {@link #fleetFailure()} and the health indicator tell which and why.
 */
public final class SnowpipeRelay implements SmartLifecycle, DisposableBean {
    /**
     * Lifecycle phase: below the web server's ({@code DEFAULT_PHASE - 2048}), so the relay starts before it and
     * stops after it has drained its requests.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** How long stop waits for the fleet's thread after close() returned (which already waited for the drain). */
    private static final java.time.Duration FLEET_THREAD_JOIN = java.time.Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SnowpipeRelay.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final RelayGroup group;
    private final RelayFleet fleet;
    private final Map<String, PostgresOutbox> postgresOutboxes;
    private final List<AutoCloseable> resources;
    private final boolean autoStartup;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Why the fleet member stopped on its own (set by its thread), or null while it runs as it should. */
    private final AtomicReference<FleetFailure> fleetFailure = new AtomicReference<>();
    private Thread fleetThread;

    /**
     * Why the fleet member stopped while the relay was running.
     *
     * @param since  when it stopped
     * @param reason what happened, without secrets
     */
    public record FleetFailure(Instant since, String reason) {
    }

    /**
     * @param group       the channels, not started
     * @param resources   what the relay opened for them (sources, outboxes), closed after the group, in order
     * @param autoStartup whether the context starts the relay
     */
    public SnowpipeRelay(RelayGroup group, List<? extends AutoCloseable> resources, boolean autoStartup) {
        this(group, null, Map.of(), resources, autoStartup);
    }

    /**
     * @param group            the channels outside the fleet, not started; {@code null} when every channel is in it
     * @param fleet            the fleet member, not started; {@code null} without a fleet
     * @param postgresOutboxes the PostgreSQL outboxes opened, by DataSource bean name (also in {@code resources})
     * @param resources        what the relay opened (sources, outboxes), closed after the group, in order
     * @param autoStartup      whether the context starts the relay
     */
    public SnowpipeRelay(RelayGroup group, RelayFleet fleet, Map<String, PostgresOutbox> postgresOutboxes,
                         List<? extends AutoCloseable> resources, boolean autoStartup) {
        if (group == null && fleet == null) {
            throw new IllegalArgumentException("group and fleet are both null; give at least one");
        }
        this.group = group;
        this.fleet = fleet;
        this.postgresOutboxes = Map.copyOf(new LinkedHashMap<>(postgresOutboxes));
        this.resources = new ArrayList<>(resources);
        this.autoStartup = autoStartup;
    }

    /**
     * The channels outside the fleet: their states, metrics and failures.
     *
     * @throws IllegalStateException when every channel runs in the fleet (see {@link #channelGroup()})
     */
    public RelayGroup group() {
        if (group == null) {
            throw new IllegalStateException("every channel of this relay runs in the fleet (snowpipe.relay.fleet"
                    + ".enabled=true); see fleet(), or channelGroup() where both may exist");
        }
        return group;
    }

    /** The channels outside the fleet, if any. */
    public Optional<RelayGroup> channelGroup() {
        return Optional.ofNullable(group);
    }

    /** The fleet member running the PostgreSQL-outbox channels, with {@code snowpipe.relay.fleet.enabled=true}. */
    public Optional<RelayFleet> fleet() {
        return Optional.ofNullable(fleet);
    }

    /** Why the fleet member stopped on its own while the relay runs; empty while it runs (or without a fleet). */
    public Optional<FleetFailure> fleetFailure() {
        return Optional.ofNullable(fleetFailure.get());
    }

    /**
     * The PostgreSQL outboxes the relay opened, by DataSource bean name, configured with the channels' partition
     * counts: append through these so rows spread over a stream's partitions as the fleet expects.
     */
    public Map<String, PostgresOutbox> postgresOutboxes() {
        return postgresOutboxes;
    }

    /**
     * Starts every channel. Idempotent while running.
     *
     * @throws IllegalStateException after {@link #stop()}: restart the application instead
     */
    @Override
    public void start() {
        if (state.compareAndSet(State.NEW, State.RUNNING)) {
            if (group != null) {
                group.start();
                log.info("snowpipe relay - started {} channel(s): {}", group.runners().size(),
                        group.states().keySet());
            }
            if (fleet != null) {
                startFleet();
            }
        } else if (state.get() == State.STOPPED) {
            throw new IllegalStateException("the snowpipe relay was stopped and cannot start again; restart the"
                    + " application context");
        }
    }

    /**
     * Stops every channel with a bounded drain (each channel's close timeout plus a few seconds), then closes
     * the sources. Idempotent.
     */
    @Override
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.STOPPED)) {
            log.info("snowpipe relay - stopping: draining for at most the close timeout");
            closeAll();
        }
    }

    @Override
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Closes everything even if the relay never started (the context failed to start). Idempotent. */
    @Override
    public void destroy() {
        state.set(State.STOPPED);
        closeAll();
    }

    /**
     * Runs the member's heartbeat on a thread of this relay's, so that a member that ends on its own (its lease
     * tables cannot be set up, a partition count differs from the table's) shows in {@link #fleetFailure()} and
     * the health instead of vanishing with RelayFleet's own thread.
     */
    private void startFleet() {
        Thread thread = new Thread(() -> {
            try {
                fleet.run();
                if (state.get() == State.RUNNING) {
                    fleetFailure.set(new FleetFailure(Instant.now(), "the fleet member " + fleet.memberId()
                            + " stopped while the relay runs"));
                }
            } catch (RuntimeException | Error e) {
                fleetFailure.set(new FleetFailure(Instant.now(), e.getClass().getSimpleName() + ": "
                        + e.getMessage()));
                log.error("snowpipe relay - fleet member {} failed: {}", fleet.memberId(), e.toString());
            }
        }, "snowpipe-relay-fleet-" + fleet.memberId());
        thread.setDaemon(true);
        fleetThread = thread;
        thread.start();
        log.info("snowpipe relay - fleet member {} started for {}", fleet.memberId(), fleet);
    }

    // Called from stop() and destroy(): the fleet's, the group's and each resource's close are idempotent.
    private synchronized void closeAll() {
        if (fleet != null) {
            // Drains, releases the leases and leaves, so the other members take the partitions over at once.
            fleet.close();
            Thread thread = fleetThread;
            if (thread != null) {
                try {
                    thread.join(FLEET_THREAD_JOIN.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (group != null) {
            group.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("snowpipe relay - closing {} failed: {}", r, e.toString());
            }
        }
        resources.clear();
    }

    @Override
    public String toString() {
        return "SnowpipeRelay" + (group == null ? "" : group.states()) + (fleet == null ? "" : fleet.toString());
    }
}
