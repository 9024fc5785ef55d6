package io.snowpiperelay.internal;

import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one client of a pipe and rebuilds it when the SDK declares it invalid. Several runners share a
 * handle; the generation number makes sure one invalidation leads to one rebuild however many runners see it.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
public final class ClientHandle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientHandle.class);

    private final Supplier<ClientPort> factory;
    private final String description;
    // guarded by this
    private ClientPort client;
    // guarded by this
    private long generation;
    // guarded by this
    private boolean closed;

    /**
     * @param factory     builds a new client; may throw {@link PortException}
     * @param description for logs (database.schema.pipe)
     */
    public ClientHandle(Supplier<ClientPort> factory, String description) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** A snapshot of the current client and its generation. */
    public record Current(ClientPort client, long generation) { }

    /** The current client, building it on first use. */
    public synchronized Current current() {
        if (closed) {
            throw new PortException(PortException.Kind.CHANNEL_INVALID, "ClosedClientError",
                    "client for " + description + " is closed");
        }
        if (client == null) {
            client = factory.get();
            generation++;
        }
        return new Current(client, generation);
    }

    /** The current client if one is built and the handle is open, else {@code null}; never builds one. */
    public synchronized Current peek() {
        return closed || client == null ? null : new Current(client, generation);
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
