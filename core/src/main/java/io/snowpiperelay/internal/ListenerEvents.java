package io.snowpiperelay.internal;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.RelayListener;
import java.util.Objects;

/**
 * Delivers a runner's events to its {@link RelayListener}, each with the channel name, so that a throwing listener
 * is logged and ignored rather than stopping the relay. One method per event (not a lambda per call), so an event
 * on the append path costs no allocation.
 *
 * <p>Called from the runner's thread; the listener's own thread-safety is its business.
 */
public final class ListenerEvents {
    private final String channel;
    private final RelayListener listener;

    /** Events of {@code channel} go to {@code listener}. */
    public ListenerEvents(String channel, RelayListener listener) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    void opened(long committedOffset) {
        try {
            listener.opened(channel, committedOffset);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void appended(long firstOffset, long lastOffset, int rows) {
        try {
            listener.appended(channel, firstOffset, lastOffset, rows);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void committed(long committedOffset) {
        try {
            listener.committed(channel, committedOffset);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void deleted(long upToOffset) {
        try {
            listener.deleted(channel, upToOffset);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void reopened(long resumeAfterOffset, Throwable cause) {
        try {
            listener.reopened(channel, resumeAfterOffset, cause);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void rowErrors(long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
        try {
            listener.rowErrors(channel, newErrors, lastErrorOffsetUpperBound, lastErrorMessage);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void deadLettered(DeadLetter letter) {
        try {
            listener.deadLettered(channel, letter);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void serviceUnreachable(ServiceReachability.Unreachable problem) {
        try {
            listener.serviceUnreachable(channel, problem.url(), problem.cause(), problem.since());
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    void unknownField(String field, long offset) {
        try {
            listener.unknownField(channel, field, offset);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    /** The runner stopped for good with {@code error}. */
    public void fatal(Throwable error) {
        try {
            listener.fatal(channel, error);
        } catch (RuntimeException e) {
            ignored(e);
        }
    }

    private void ignored(RuntimeException e) {
        RunnerLog.LOG.warn("{} - listener threw {}; ignored", channel, e.toString());
    }
}
