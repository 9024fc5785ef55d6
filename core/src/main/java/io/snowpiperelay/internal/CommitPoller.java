package io.snowpiperelay.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a channel's status (committed token, row errors, validity) off the runner's thread and hands the results
 * to it. The first status read of a channel blocks about a second in the SDK, so polling must never stall
 * appending. A standalone runner polls with a small daemon thread of its own; a {@code RelayGroup} member is
 * polled by its group, which also offers committed tokens read for many channels in one call.
 *
 * <p>Each observation is tagged with the id of the channel instance it was read from, so a result that arrives
 * after a reopen is ignored. Thread-safe: pollers write the volatile observation slots, the runner's thread
 * consumes them in {@link #deliver}; the instance is published by the runner's thread.
 */
public final class CommitPoller {
    /** What the runner does with an observation; called on the runner's thread. */
    public interface Observer {
        /** A status read from the channel. */
        void onStatus(ChannelStatusView status);

        /** A committed token read by a group's batched call (no refresh time: may predate the open). */
        void onCommittedToken(String token);
    }

    private record Instance(long id, ChannelPort channel) { }

    private record TokenObservation(long instanceId, String token) { }

    private record StatusObservation(long instanceId, ChannelStatusView status) { }

    private record PollFailure(long instanceId, PortException error) { }

    private final String channel;
    private final Duration interval;
    private final boolean polledByGroup;
    private final RunnerSignal signal;

    // Published by the runner thread for the poller (own or group's).
    private volatile Instance instance;
    // Written by pollers, consumed by the runner thread.
    private volatile TokenObservation tokenObservation;
    private volatile StatusObservation statusObservation;
    private volatile PollFailure pollFailure;
    // Runner thread only.
    private long instanceSeq;
    private TokenObservation lastToken;
    private StatusObservation lastStatus;
    private ScheduledExecutorService executor;

    /**
     * @param polledByGroup whether a group polls (then no thread of its own is started)
     * @param signal        woken after every poll
     */
    public CommitPoller(String channel, Duration interval, boolean polledByGroup, RunnerSignal signal) {
        this.channel = channel;
        this.interval = interval;
        this.polledByGroup = polledByGroup;
        this.signal = signal;
    }

    /** Starts the runner's own polling thread, unless a group polls. */
    public void start() {
        if (polledByGroup) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-poll-" + channel);
            t.setDaemon(true);
            return t;
        });
        long every = interval.toNanos();
        executor.scheduleWithFixedDelay(this::pollStatus, every, every, TimeUnit.NANOSECONDS);
    }

    /** Stops the runner's own polling thread, if any. */
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Makes {@code opened} the instance to poll, and polls it soon. */
    void publish(ChannelPort opened) {
        instance = new Instance(++instanceSeq, opened);
        if (!polledByGroup) {
            pollSoon();
        }
    }

    /** Stops polling the current instance (it is being abandoned). */
    public void retract() {
        instance = null;
    }

    /** The published instance, or {@code null} between instances. */
    ChannelPort published() {
        Instance current = instance;
        return current == null ? null : current.channel;
    }

    private void pollSoon() {
        ScheduledExecutorService p = executor;
        if (p != null) {
            try {
                p.execute(this::pollStatus);
            } catch (RuntimeException ignored) {
                // shut down: nothing to poll
            }
        }
    }

    /** Reads the published instance's status and hands it to the runner's thread. Never throws. */
    public void pollStatus() {
        Instance current = instance;
        if (current == null) {
            return;
        }
        try {
            ChannelStatusView status = current.channel.status();
            statusObservation = new StatusObservation(current.id, status);
            // A later successful read answers an earlier failed one: rethrowing it would force a needless reopen.
            pollFailure = null;
        } catch (PortException e) {
            pollFailure = new PollFailure(current.id, e);
        } catch (RuntimeException | Error e) {
            // Never let the poller die silently: the runner would wait for commits forever.
            pollFailure = new PollFailure(current.id, new PortException(PortException.Kind.UNKNOWN, "",
                    "status read failed: " + e, e));
        }
        signal.wake();
    }

    /** The id of the published instance, or -1 between instances. For a group's batched token reads. */
    public long instanceId() {
        Instance current = instance;
        return current == null ? -1 : current.id;
    }

    /** Hands over a committed token read by a group's batched call for instance {@code instanceId}. */
    public void offerCommittedToken(long instanceId, String token) {
        if (instanceId >= 0 && token != null) {
            tokenObservation = new TokenObservation(instanceId, token);
            signal.wake();
        }
    }

    /**
     * Gives {@code observer} what arrived for the published instance since the last call; runner thread only.
     *
     * @throws PortException the failure of the last status read of the published instance
     */
    void deliver(Observer observer) {
        Instance current = instance;
        if (current == null) {
            return;
        }
        PollFailure f = pollFailure;
        if (f != null && f.instanceId == current.id) {
            pollFailure = null;
            throw f.error;
        }
        StatusObservation s = statusObservation;
        if (s != null && s != lastStatus && s.instanceId == current.id) {
            lastStatus = s;
            observer.onStatus(s.status);
        }
        TokenObservation t = tokenObservation;
        if (t != null && t != lastToken && t.instanceId == current.id) {
            lastToken = t;
            if (t.token != null) {
                observer.onCommittedToken(t.token);
            }
        }
    }
}
