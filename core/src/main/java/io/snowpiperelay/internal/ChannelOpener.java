package io.snowpiperelay.internal;

import io.snowpiperelay.RetriesExhaustedException;
import io.snowpiperelay.RunnerConfig;

/**
 * OPEN of the runner's cycle: opens the channel on the pipe's client, retrying with exponential backoff, bounded
 * by {@code maxReopenAttempts} failed opens in a row. A client the SDK declares invalid is rebuilt (once per
 * invalidation however many runners share it); fatal failures stop at once. Backoff waits end on {@code close()},
 * and so does the wait for a client build (which, when the service cannot be reached, reports why).
 *
 * <p>Runner thread only.
 */
final class ChannelOpener {
    /** An opened channel and the generation of the client it was opened on. */
    record Opened(OpenedChannel channel, long clientGeneration) { }

    private final String channelName;
    private final ClientHandle clients;
    private final int maxAttempts;
    private final Backoff backoff;
    private final RunnerSignal signal;
    private final RecoveryPolicy policy;
    private final ListenerEvents events;

    ChannelOpener(String channelName, ClientHandle clients, RunnerConfig config, RunnerSignal signal,
                  RecoveryPolicy policy, ListenerEvents events) {
        this.channelName = channelName;
        this.clients = clients;
        this.maxAttempts = config.maxReopenAttempts();
        this.backoff = Backoff.exponential(config.reopenBackoffInitial(), config.reopenBackoffMax());
        this.signal = signal;
        this.policy = policy;
        this.events = events;
    }

    /**
     * Opens the channel; {@code cause} is the failure that made the previous instance unusable ({@code null} on
     * the first open), in which case the first attempt waits a backoff delay too.
     *
     * @throws RetriesExhaustedException after {@code maxReopenAttempts} failed opens in a row
     * @throws StopRequestedException    when close() was called meanwhile
     */
    Opened open(PortException cause) {
        int failures = 0;
        PortException last = cause;
        while (true) {
            signal.throwIfStopRequested();
            if (last != null) {
                signal.waitUnlessStopped(backoff.delay(failures + 1));
                signal.throwIfStopRequested();
            }
            long generation = -1;
            try {
                ClientHandle.Current current = clients.current(signal, events::serviceUnreachable);
                generation = current.generation();
                return new Opened(current.client().open(channelName), generation);
            } catch (PortException e) {
                policy.throwIfFatal(e);
                if (e.kind() == PortException.Kind.CLIENT_INVALID && generation >= 0) {
                    clients.invalidate(generation);
                }
                failures++;
                last = e;
                RunnerLog.LOG.warn("{} - open failed ({} of {}): {}", channelName, failures, maxAttempts,
                        e.getMessage());
                if (failures >= maxAttempts) {
                    throw new RetriesExhaustedException(channelName, "channel open", failures,
                            "Check the service's health and the pipe " + clients.description() + ".", e);
                }
            }
        }
    }
}
