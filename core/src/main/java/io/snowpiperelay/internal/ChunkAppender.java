package io.snowpiperelay.internal;

import io.snowpiperelay.RetriesExhaustedException;
import io.snowpiperelay.RunnerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * APPEND of the runner's cycle: one {@code appendRows} call for a chunk of converted rows, tagged with the
 * offsets of its first and last row. Before it, waits while the chunk would overflow the uncommitted bytes
 * (invariant 7); around it, treats SDK saturation as backpressure (wait with backoff, same rows again, bounded by
 * {@code backpressureTimeout}), never as a channel fault. Any other failure propagates to the recovery.
 *
 * <p>Runner thread only. Allocates per call only the two token strings and the window's chunk record.
 */
public final class ChunkAppender {
    private static final Duration BACKPRESSURE_INITIAL = Duration.ofMillis(10);

    private final String channelName;
    private final long maxUncommittedBytes;
    private final Duration commitPollInterval;
    private final Duration backpressureTimeout;
    private final Backoff backpressureBackoff;
    private final UncommittedWindow window;
    private final ChannelProgress progress;
    private final RunnerCounters counters;
    private final ListenerEvents events;
    private final RunnerSignal signal;
    private final CommitPoller poller;
    private final CommitTracker tracker;
    private ChannelPort channel;

    ChunkAppender(String channelName, RunnerConfig config, UncommittedWindow window, ChannelProgress progress,
                  RunnerCounters counters, ListenerEvents events, RunnerSignal signal, CommitPoller poller,
                  CommitTracker tracker) {
        this.channelName = channelName;
        this.maxUncommittedBytes = config.maxUncommittedBytes();
        this.commitPollInterval = config.commitPollInterval();
        this.backpressureTimeout = config.backpressureTimeout();
        this.backpressureBackoff = Backoff.exponential(BACKPRESSURE_INITIAL, config.backpressureBackoffMax());
        this.window = window;
        this.progress = progress;
        this.counters = counters;
        this.events = events;
        this.signal = signal;
        this.poller = poller;
        this.tracker = tracker;
    }

    /** The channel instance to append to from now on ({@code null} between instances). */
    void channel(ChannelPort current) {
        this.channel = current;
    }

    /**
     * Appends {@code rows} (offsets {@code first}..{@code last}, about {@code bytes} bytes); returns once the SDK
     * took them. The list is not kept.
     *
     * @throws PortException         a channel or client failure (not backpressure)
     * @throws StopRequestedException close() was called while waiting
     */
    void append(List<Map<String, Object>> rows, long first, long last, long bytes) {
        // Invariant 7 in bytes: wait for commits before adding more, unless nothing is outstanding.
        while (window.rows() > 0 && window.bytes() + bytes > maxUncommittedBytes) {
            signal.throwIfStopRequested();
            signal.await(commitPollInterval, true);
            poller.deliver(tracker);
        }
        long deadline = System.nanoTime() + backpressureTimeout.toNanos();
        int attempt = 0;
        String firstToken = OffsetTokens.of(first);
        String lastToken = OffsetTokens.of(last);
        while (true) {
            try {
                channel.appendRows(rows, firstToken, lastToken);
                break;
            } catch (PortException e) {
                if (e.kind() != PortException.Kind.BACKPRESSURE) {
                    throw e;
                }
                // Saturation is the SDK asking us to slow down, not a channel fault: wait, same rows again.
                counters.backpressure.increment();
                attempt++;
                if (System.nanoTime() - deadline > 0) {
                    throw new RetriesExhaustedException(channelName, "appendRows (SDK saturated)", attempt,
                            "The SDK stayed saturated for " + backpressureTimeout + "; check its memory"
                                    + " settings (max_append_bytes_to_buffer) and the service's health.", e);
                }
                signal.throwIfStopRequested();
                signal.await(backpressureBackoff.delay(attempt), true);
            }
        }
        int rowCount = rows.size();
        window.add(last, rowCount, bytes, System.nanoTime());
        progress.appendedOffset(last);
        progress.lastSentOffset(last);
        tracker.appended(last);
        counters.rowsAppended.add(rowCount);
        counters.appendCalls.increment();
        events.appended(first, last, rowCount);
    }
}
