package io.snowpiperelay.internal;

import io.snowpiperelay.ChannelFencedException;
import io.snowpiperelay.RelayException;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import java.time.Duration;

/**
 * Decides what a channel or client failure means (docs/exactly-once.md, "Failure reactions"): fatal at once
 * (authentication, a missing object, a configuration the SDK rejects), fenced by another writer (invariant 5), or
 * recoverable by reopening. Backpressure never gets here: the {@link ChunkAppender} waits it out.
 *
 * <p>Fenced means the service said {@code STALE_CONTINUATION_TOKEN_SEQUENCER} (someone opened the channel after
 * us; a service restart answers with a plain invalidation instead), or, when the service does not say why,
 * {@code fencingReopenLimit} invalidations in a row, each within {@code fencingWindow} of the (re)open.
 *
 * <p>Runner thread only.
 */
public final class RecoveryPolicy {
    private final String channel;
    private final String pipeDescription;
    private final Duration fencingWindow;
    private final int fencingReopenLimit;
    private long lastOpenNanos;
    private int quickInvalidations;

    RecoveryPolicy(String channel, String pipeDescription, RunnerConfig config) {
        this.channel = channel;
        this.pipeDescription = pipeDescription;
        this.fencingWindow = config.fencingWindow();
        this.fencingReopenLimit = config.fencingReopenLimit();
    }

    /** A channel instance was opened now: the fencing window starts. */
    void opened() {
        lastOpenNanos = System.nanoTime();
    }

    /**
     * Returns when {@code e} is recovered by reopening the channel.
     *
     * @throws RelayHaltedException    when it is fatal (authentication, an object not found, a rejected
     *                                 configuration)
     * @throws ChannelFencedException when another writer holds the channel
     */
    void checkRecoverable(PortException e) {
        throwIfFatal(e);
        if (e.mentionsStaleSequencer()) {
            // The service says someone opened the channel after us. Taking it back would fence the newcomer,
            // and if it is idle both would stay RUNNING, each believing it owns the channel. A service restart
            // does not send this code (it answers ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP, a plain
            // invalidation), so the code alone is proof enough: the newcomer wins, we stop.
            throw new ChannelFencedException(channel, "the service answered " + PortException.STALE_SEQUENCER_CODE
                    + ": another instance opened the channel after this one", e);
        }
        boolean quick = System.nanoTime() - lastOpenNanos < fencingWindow.toNanos();
        quickInvalidations = quick ? quickInvalidations + 1 : 0;
        if (quickInvalidations >= fencingReopenLimit) {
            // Without the service's code: invalidated again soon after each reopen, K times in a row.
            throw new ChannelFencedException(channel, "invalidated " + quickInvalidations + " time(s) in a row"
                    + " within " + fencingWindow + " of opening it; if no other writer uses it, the service"
                    + " keeps rejecting it, last: " + e.errorCodeName(), e);
        }
    }

    /** @throws RelayException when {@code e} is fatal at once, with a message that names the fix */
    void throwIfFatal(PortException e) {
        switch (e.kind()) {
            case AUTH -> throw RelayHaltedException.authentication(channel,
                    "channel " + channel + " on " + pipeDescription, e.errorCodeName(), e);
            case NOT_FOUND -> throw RelayHaltedException.objectNotFound(channel,
                    "channel " + channel + " on " + pipeDescription, e.errorCodeName(), e);
            case CONFIG -> throw RelayHaltedException.configurationRejected(channel, e.getMessage(), e);
            default -> {
            }
        }
    }
}
