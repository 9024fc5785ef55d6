package io.snowpiperelay;

import io.snowpiperelay.internal.ClientHandle;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.ServiceReachability;
import io.snowpiperelay.internal.sdk.SdkClientPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One SDK client per pipe, shared by every runner built with it
 * ({@link ExactlyOnceChannelRunner.Builder#sharedClients}), however many channels come and go.
 *
 * <p>Why: one SDK client carries many channels, and every client polls the service for its channels' status about
 * once a second and exchanges a token when it is built. A runner built on its own builds and closes its own client;
 * runners that start and stop over time on the same pipes (a {@code RelayFleet} member claiming and releasing
 * partitions) share one client per pipe through this instead, so claiming a partition costs a channel open, not a
 * client build, and the status polling stays one request a second per pipe (measured in
 * {@code docs/scaling-out.md}). {@link RelayGroup} shares its clients the same way.
 *
 * <p>A client is built when the first runner on its pipe needs it and rebuilt when the SDK declares it invalid
 * (one rebuild however many runners see it); a runner never closes a shared client. Close this after the runners
 * that use it: their channels then fail with a closed client.
 *
 * <p>Thread-safe.
 */
public final class SharedClients implements AutoCloseable {
    private final Function<PipeName, ClientHandle> newHandle;
    // guarded by this; in the order the pipes were first asked for
    private final Map<PipeName, ClientHandle> handles = new LinkedHashMap<>();
    // guarded by this
    private boolean closed;

    private SharedClients(Function<PipeName, ClientHandle> newHandle) {
        this.newHandle = newHandle;
    }

    /**
     * Clients built from {@code profile}, each named {@code <clientNamePrefix>-<pipe>} (the name shows in
     * Snowflake's telemetry).
     *
     * @throws IllegalArgumentException naming a missing or blank argument
     */
    public static SharedClients of(ClientProfile profile, String clientNamePrefix) {
        if (profile == null) {
            throw new IllegalArgumentException("profile = <missing>; a ClientProfile is required");
        }
        if (clientNamePrefix == null || clientNamePrefix.isBlank()) {
            throw new IllegalArgumentException("clientNamePrefix = '" + clientNamePrefix + "' must not be blank");
        }
        // One reachability check per service URL, shared by the pipes: one WARN line however many pipes wait.
        ServiceReachability reachability = new ServiceReachability(profile.serviceUrl());
        return new SharedClients(pipe -> new ClientHandle(
                () -> SdkClientPort.build(clientNamePrefix + "-" + pipe.pipe(), pipe, profile), pipe.toString(),
                reachability, ServiceReachability.DEFAULT_FIRST_PROBE_AFTER));
    }

    /** For tests and the group: each pipe's client comes from {@code factory}. */
    static SharedClients ofFactory(Function<PipeName, ClientPort> factory) {
        Objects.requireNonNull(factory, "factory");
        return new SharedClients(pipe -> new ClientHandle(() -> factory.apply(pipe), pipe.toString()));
    }

    /**
     * The handle of {@code pipe}'s client, created on first use (the client itself is built when a runner first
     * needs it).
     *
     * @throws IllegalStateException after {@link #close()}
     */
    synchronized ClientHandle handle(PipeName pipe) {
        Objects.requireNonNull(pipe, "pipe");
        if (closed) {
            throw new IllegalStateException("these shared clients are closed; build runners before closing them");
        }
        return handles.computeIfAbsent(pipe, newHandle);
    }

    /** A snapshot of the pipes and their handles, in the order the pipes were first asked for. */
    synchronized Map<PipeName, ClientHandle> handles() {
        return new LinkedHashMap<>(handles);
    }

    /** The pipes that have a client (built, being built, or to be built on a runner's first use). */
    public synchronized Set<PipeName> pipes() {
        return Set.copyOf(handles.keySet());
    }

    /** Closes every client. Idempotent; never blocks on a client still being built (it closes when it finishes). */
    @Override
    public void close() {
        Map<PipeName, ClientHandle> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new LinkedHashMap<>(handles);
        }
        toClose.values().forEach(ClientHandle::close);
    }

    @Override
    public synchronized String toString() {
        return "SharedClients" + handles.keySet() + (closed ? " (closed)" : "");
    }
}
