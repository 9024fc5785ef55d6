package io.snowpiperelay.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one client of a pipe and rebuilds it when the SDK declares it invalid. Several runners share a
 * handle; the generation number makes sure one invalidation leads to one rebuild however many runners see it.
 *
 * <p>The client is built on a daemon thread of its own: the SDK's build blocks in native code, uninterruptibly,
 * for minutes when the service cannot be reached. Callers wait for it in short steps, so {@code close()} ends
 * their wait at once, and while they wait the {@link ServiceReachability} (if any) names the cause. A build that
 * finishes after {@link #close()} closes its client.
 *
 * <p>Thread-safe: all state is guarded by {@code this}; no lock is held while building or probing.
 */
public final class ClientHandle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientHandle.class);
    /** How often a waiting caller looks at the build, the stop request and the reachability. */
    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    private final Supplier<ClientPort> factory;
    private final String description;
    private final ServiceReachability reachability;
    private final Duration firstProbeAfter;
    // guarded by this
    private ClientPort client;
    // guarded by this; the build in flight, or null
    private CompletableFuture<ClientPort> building;
    // guarded by this
    private long buildStartNanos;
    // guarded by this
    private long generation;
    // guarded by this
    private boolean closed;

    /**
     * @param factory     builds a new client; may throw {@link PortException}
     * @param description for logs (database.schema.pipe)
     */
    public ClientHandle(Supplier<ClientPort> factory, String description) {
        this(factory, description, null, ServiceReachability.DEFAULT_FIRST_PROBE_AFTER);
    }

    /**
     * @param reachability checks the service while a build takes longer than {@code firstProbeAfter}; may be
     *                     {@code null} (no checks)
     */
    public ClientHandle(Supplier<ClientPort> factory, String description, ServiceReachability reachability,
                        Duration firstProbeAfter) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.description = Objects.requireNonNull(description, "description");
        this.reachability = reachability;
        this.firstProbeAfter = Objects.requireNonNull(firstProbeAfter, "firstProbeAfter");
    }

    /** A snapshot of the current client and its generation. */
    public record Current(ClientPort client, long generation) { }

    /** The current client, building it on first use; waits for the build without a stop signal (tests). */
    public Current current() {
        return current(new RunnerSignal(), problem -> { });
    }

    /**
     * The current client, building it on first use. While the build takes long, checks whether the service can be
     * reached and hands each new finding to {@code onUnreachable}, on the calling thread.
     *
     * @throws PortException          when the build failed (classified by the factory)
     * @throws StopRequestedException when {@code signal} asks to stop while waiting
     */
    public Current current(RunnerSignal signal, Consumer<ServiceReachability.Unreachable> onUnreachable) {
        CompletableFuture<ClientPort> build;
        long started;
        synchronized (this) {
            throwIfClosed();
            if (client != null) {
                return new Current(client, generation);
            }
            if (building == null) {
                building = startBuild();
                buildStartNanos = System.nanoTime();
            }
            build = building;
            started = buildStartNanos;
        }
        long reported = 0;
        while (true) {
            signal.throwIfStopRequested();
            try {
                build.get(WAIT_STEP.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException slow) {
                if (reachability != null && System.nanoTime() - started >= firstProbeAfter.toNanos()) {
                    reachability.probeIfDue();
                    ServiceReachability.Unreachable problem = reachability.unreachable();
                    if (problem != null && problem.report() > reported) {
                        reported = problem.report();
                        onUnreachable.accept(problem);
                    }
                }
            } catch (ExecutionException failed) {
                Throwable cause = failed.getCause();
                throw cause instanceof RuntimeException re ? re
                        : new PortException(PortException.Kind.UNKNOWN, "", "building client for " + description
                                + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StopRequestedException();
            }
        }
        synchronized (this) {
            throwIfClosed();
            if (client == null) {
                // Another build replaced this one (invalidated meanwhile): try again with the current state.
                return current(signal, onUnreachable);
            }
            return new Current(client, generation);
        }
    }

    private CompletableFuture<ClientPort> startBuild() {
        CompletableFuture<ClientPort> future = new CompletableFuture<>();
        Thread builder = new Thread(() -> build(future), "snowpipe-client-build-" + description);
        builder.setDaemon(true); // a build stuck in the SDK must not keep the JVM alive
        builder.start();
        return future;
    }

    private void build(CompletableFuture<ClientPort> future) {
        ClientPort built;
        try {
            built = factory.get();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                if (building == future) {
                    building = null; // the next caller starts a new build
                }
            }
            future.completeExceptionally(e);
            return;
        }
        boolean keep;
        synchronized (this) {
            keep = !closed && building == future;
            if (keep) {
                client = built;
                generation++;
                building = null;
            }
        }
        if (reachability != null) {
            reachability.reached();
        }
        if (!keep) {
            log.info("{} - a client build finished after close(); closing that client", description);
            closeQuietly(built);
        }
        future.complete(built);
    }

    private void throwIfClosed() {
        if (closed) {
            throw new PortException(PortException.Kind.CHANNEL_INVALID, "ClosedClientError",
                    "client for " + description + " is closed");
        }
    }

    /** The current client if one is built and the handle is open, else {@code null}; never builds one. */
    public synchronized Current peek() {
        return closed || client == null ? null : new Current(client, generation);
    }

    /** Why the service cannot be reached, or {@code null} while nothing says so (or nothing checks). */
    public ServiceReachability.Unreachable unreachable() {
        return reachability == null ? null : reachability.unreachable();
    }

    /**
     * Replaces the client if it is still the one of {@code seenGeneration}; otherwise another runner already
     * rebuilt it and this is a no-op.
     */
    public synchronized void invalidate(long seenGeneration) {
        if (closed || seenGeneration != generation || client == null) {
            return;
        }
        log.warn("{} - client invalid, rebuilding it", description);
        ClientPort old = client;
        client = null;
        closeQuietly(old);
    }

    /** The description given at construction. */
    public String description() {
        return description;
    }

    /** Closes the client; a build still in flight closes its client when it finishes. Never blocks on a build. */
    @Override
    public void close() {
        ClientPort old;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            old = client;
            client = null;
            building = null;
        }
        closeQuietly(old);
    }

    private void closeQuietly(ClientPort c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            log.warn("{} - closing client failed: {}", description, e.toString());
        }
    }
}
