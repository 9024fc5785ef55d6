package io.snowpiperelay.spring;

import io.snowpiperelay.RelayGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <p>Thread-safe. A channel that fails does not stop the others; {@link #group()}{@code .failures()} and the
 * health indicator tell which and why.
 */
public final class SnowpipeRelay implements SmartLifecycle, DisposableBean {
    /**
     * Lifecycle phase: below the web server's ({@code DEFAULT_PHASE - 2048}), so the relay starts before it and
     * stops after it has drained its requests.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(SnowpipeRelay.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final RelayGroup group;
    private final List<AutoCloseable> resources;
    private final boolean autoStartup;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    /**
     * @param group       the channels, not started
     * @param resources   what the relay opened for them (sources, outboxes), closed after the group, in order
     * @param autoStartup whether the context starts the relay
     */
    public SnowpipeRelay(RelayGroup group, List<? extends AutoCloseable> resources, boolean autoStartup) {
        this.group = Objects.requireNonNull(group, "group");
        this.resources = new ArrayList<>(resources);
        this.autoStartup = autoStartup;
    }

    /** The channels: their states, metrics and failures. */
    public RelayGroup group() {
        return group;
    }

    /**
     * Starts every channel. Idempotent while running.
     *
     * @throws IllegalStateException after {@link #stop()}: restart the application instead
     */
    @Override
    public void start() {
        if (state.compareAndSet(State.NEW, State.RUNNING)) {
            group.start();
            log.info("snowpipe relay - started {} channel(s): {}", group.runners().size(), group.states().keySet());
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

    // Called from stop() and destroy(): the group's close and each resource's close are idempotent.
    private synchronized void closeAll() {
        group.close();
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
        return "SnowpipeRelay" + group.states();
    }
}
