package io.snowpiperelay.internal;

import java.util.List;
import java.util.Map;

/**
 * One SDK client (one per pipe), as the runner sees it. Thread-safe: several runners of a
 * {@code RelayGroup} share one client. Every method throws {@link PortException} on failure.
 */
public interface ClientPort extends AutoCloseable {

    /**
     * Opens (or re-opens) the channel {@code name}. Re-opening bumps the channel's sequencer on the service,
     * which invalidates any other instance of it and drops what that instance appended but had not committed.
     */
    OpenedChannel open(String name);

    /**
     * The latest committed offset token of each named channel in one call (the SDK reads its status cache).
     * A name the service does not know maps to {@code null}.
     */
    Map<String, String> latestCommittedTokens(List<String> names);

    /**
     * The status of each named channel in one call (the SDK reads its status cache for all of them at once, where
     * one read per channel may block about a second each). A name the service does not know is absent. Default
     * {@code null}: not supported, the caller reads each channel's status instead.
     */
    default Map<String, ChannelStatusView> statuses(List<String> names) {
        return null;
    }

    /** A description for logs and messages: database, schema, pipe. Never secrets. */
    String describe();

    /** Closes the client (flushing open channels, bounded by the SDK); never throws. */
    @Override
    void close();
}
