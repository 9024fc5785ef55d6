package io.snowpiperelay.internal;

import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.SourceRegressionException;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.types.RowChecker;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The runner's cycle (docs/exactly-once.md, "The cycle") on one channel: OPEN and RESUME, then FILL and APPEND
 * while CONFIRM and CLEANUP follow the commits, REOPEN after a recoverable failure, and the bounded drain on close.
 * It wires the parts together and owns the current channel instance; the public {@code ExactlyOnceChannelRunner}
 * owns the lifecycle (state, threads, close) and tells it when to run and when to stop.
 *
 * <p>Runner thread only, except the accessors for metrics and polling, which are thread-safe.
 */
public final class ChannelCycle {
    private final String channelName;
    private final RunnerConfig config;
    private final ClientHandle clients;
    private final Consumer<RunnerState> stateMover;
    private final RunnerSignal signal;
    private final ChannelProgress progress = new ChannelProgress();
    private final UncommittedWindow window = new UncommittedWindow();
    private final RunnerCounters counters = new RunnerCounters();
    private final ListenerEvents events;
    private final RetryingSource source;
    private final CommitPoller poller;
    private final CommitTracker tracker;
    private final RowErrorMonitor rowErrors;
    private final RecoveryPolicy policy;
    private final ChannelOpener opener;
    private final ChunkAppender appender;
    private final BatchFiller filler;
    private final QuarantineProbe quarantine;
    private final Backoff idleBackoff;

    // Runner thread only.
    private ChannelPort channel;
    private long clientGeneration;

    /**
     * @param clients       the pipe's client (shared within a group)
     * @param polledByGroup whether a group polls the channel status (else a thread of its own does)
     * @param stateMover    moves the runner's state during normal operation (RUNNING, REOPENING)
     * @param signal        the runner's wake-up and stop signal
     * @param rowChecker    the target table's pre-send row check, or null for none
     * @param quarantineClients the quarantine pipe's client, where rejected rows are looked for; {@code null} when
     *                      none is configured (then every row of a range with rejected rows is dead-lettered)
     */
    public ChannelCycle(String channelName, OffsetSource source, RunnerConfig config, RelayListener listener,
                        DeadLetterHandler deadLetterHandler, ClientHandle clients, boolean polledByGroup,
                        Consumer<RunnerState> stateMover, RunnerSignal signal, RowChecker rowChecker,
                        ClientHandle quarantineClients) {
        this.channelName = channelName;
        this.config = config;
        this.clients = clients;
        this.stateMover = stateMover;
        this.signal = signal;
        this.events = new ListenerEvents(channelName, listener);
        this.source = new RetryingSource(channelName, source, config.sourceRetryAttempts(),
                config.sourceRetryBackoffMax(), signal);
        this.poller = new CommitPoller(channelName, config.commitPollInterval(), polledByGroup, signal);
        this.rowErrors = new RowErrorMonitor(channelName, config.rowErrorPolicy(), counters, events);
        DeadLetterRouter deadLetters = new DeadLetterRouter(channelName, deadLetterHandler, source, counters, events);
        this.quarantine = quarantineClients == null ? null : new QuarantineProbe(channelName, quarantineClients,
                config.quarantineChannels(), config.quarantineRoundTimeout(), signal);
        RejectedRowSettler settler = new RejectedRowSettler(channelName, this.source,
                new RowConverter(config.maxRowBytes()), deadLetters, rowChecker, quarantine, config.maxBatchRows());
        this.tracker = new CommitTracker(channelName, progress, window, this.source, rowErrors, settler, events);
        this.policy = new RecoveryPolicy(channelName, clients.description(), config);
        this.opener = new ChannelOpener(channelName, clients, config, signal, policy, events);
        this.appender = new ChunkAppender(channelName, config, window, progress, counters, events, signal, poller,
                tracker);
        this.filler = new BatchFiller(channelName, config, deadLetters, appender, progress, source.describe(),
                rowChecker, events);
        this.idleBackoff = Backoff.exponential(config.idleBackoffInitial(), config.idleBackoffMax());
    }

    /** Where the channel stands. Thread-safe. */
    public ChannelProgress progress() {
        return progress;
    }

    /** The appended but unconfirmed rows. Thread-safe to read. */
    public UncommittedWindow window() {
        return window;
    }

    /** The event counters. Thread-safe. */
    public RunnerCounters counters() {
        return counters;
    }

    /** The status poller, for a group's polling. Thread-safe. */
    public CommitPoller poller() {
        return poller;
    }

    /** The listener, behind its exception guard. */
    public ListenerEvents events() {
        return events;
    }

    /** Whether everything read was appended, confirmed and deleted, and the source had nothing more. */
    public boolean isCaughtUp() {
        return progress.sourceEmpty() && window.rows() == 0 && progress.caughtUp();
    }

    // ---------------------------------------------------------------- OPEN and RESUME

    /**
     * Opens the channel for the first time and resumes after its committed token.
     *
     * @throws StopRequestedException when close() was called before it opened
     */
    public void open() {
        poller.start();
        resume(opener.open(null), false);
    }

    private void resume(ChannelOpener.Opened opened, boolean reopen) {
        channel = opened.channel().channel();
        clientGeneration = opened.clientGeneration();
        ChannelStatusView status = opened.channel().status();
        long committed = OffsetTokens.parse(channelName, status.committedToken());
        OptionalLong highest = source.highestIssuedOffset();
        boolean sourceVouches = highest != null && highest.isPresent();
        if (sourceVouches && committed > highest.getAsLong()) {
            throw new SourceRegressionException(channelName, committed, highest.getAsLong(), source.describe());
        }
        if (committed < progress.committedOffset()) {
            throw RelayHaltedException.committedTokenRegressed(channelName, progress.committedOffset(), committed);
        }
        if (reopen) {
            tracker.checkReopenedToken(committed);
        }
        // Invariant 1: resume right after the committed token; the rest is appended again.
        window.clear();
        progress.appendedOffset(committed);
        progress.lastSentOffset(committed);
        // What the source had before the rewind is not all sent any more: not drained until a read says so.
        progress.sourceEmpty(false);
        tracker.opened(status, committed);
        policy.opened();
        appender.channel(channel);
        RunnerLog.LOG.info("{} - opened on {}; committed offset {}, resuming after it", channelName,
                clients.description(), committed);
        events.opened(committed);
        if (committed > progress.committedOffset() || committed > progress.deletedOffset()) {
            tracker.confirmOnOpen(committed, sourceVouches);
        }
        poller.publish(channel);
    }

    // ---------------------------------------------------------------- FILL, APPEND, CONFIRM

    /** Relays until a stop is requested; recoverable failures reopen the channel, others propagate. */
    public void loop() {
        int idleAttempt = 0;
        while (!signal.isStopRequested()) {
            try {
                poller.deliver(tracker);
                if (window.rows() >= config.maxUncommittedRows() || window.bytes() >= config.maxUncommittedBytes()) {
                    // Invariant 7: reading pauses until commits catch up.
                    signal.await(config.commitPollInterval(), true);
                    continue;
                }
                int want = (int) Math.min(config.maxBatchRows(), config.maxUncommittedRows() - window.rows());
                long after = progress.appendedOffset();
                List<SourceRecord> batch = source.getData(after, want);
                if (batch == null || batch.isEmpty()) {
                    progress.sourceEmpty(true);
                    idleAttempt++;
                    signal.await(idleBackoff.delay(idleAttempt), true);
                    continue;
                }
                progress.sourceEmpty(false);
                idleAttempt = 0;
                filler.checkOrder(after, batch, want);
                filler.send(batch);
            } catch (PortException e) {
                recover(e);
            } catch (StopRequestedException stop) {
                return; // close() during a wait inside a batch: drain what was appended
            }
        }
    }

    // ---------------------------------------------------------------- REOPEN

    private void recover(PortException e) {
        policy.checkRecoverable(e);
        if (e.kind() == PortException.Kind.CLIENT_INVALID) {
            clients.invalidate(clientGeneration);
        }
        RunnerLog.LOG.warn("{} - {} ({}); reopening and rewinding to the committed token", channelName, e.kind(),
                e.getMessage());
        stateMover.accept(RunnerState.REOPENING);
        abandonChannel();
        // Nothing more will be confirmed through the dead instance: do not let close() wait for it.
        progress.lastSentOffset(progress.committedOffset());
        counters.reopens.increment();
        resume(opener.open(e), true);
        stateMover.accept(RunnerState.RUNNING);
        events.reopened(progress.committedOffset(), e);
    }

    private void abandonChannel() {
        poller.retract();
        appender.channel(null);
        closeChannel(Duration.ZERO);
        channel = null;
    }

    // ---------------------------------------------------------------- close and fail

    /**
     * The bounded drain of close(): asks the SDK to flush now, then waits up to {@code closeTimeout} for what was
     * appended to be confirmed (and deleted). What is not confirmed stays in the source.
     */
    public void drain() {
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        ChannelPort current = poller.published();
        if (current != null && progress.committedOffset() < progress.lastSentOffset()) {
            current.initiateFlush(); // the last rows need not wait for the SDK's next flush tick
        }
        try {
            while (poller.published() != null && progress.committedOffset() < progress.lastSentOffset()
                    && System.nanoTime() - deadline < 0 && !signal.wasInterrupted()) {
                poller.deliver(tracker);
                if (progress.committedOffset() >= progress.lastSentOffset()) {
                    break;
                }
                long left = deadline - System.nanoTime();
                signal.await(Duration.ofNanos(Math.max(1, Math.min(left, config.commitPollInterval().toNanos()))),
                        false);
            }
        } catch (PortException e) {
            RunnerLog.LOG.warn("{} - channel failed while draining ({}); unconfirmed rows stay in the source",
                    channelName, e.getMessage());
        }
        if (progress.committedOffset() < progress.lastSentOffset()) {
            RunnerLog.LOG.info("{} - close: offsets {}..{} were not confirmed within {}; they stay in the source",
                    channelName, progress.committedOffset() + 1, progress.lastSentOffset(), config.closeTimeout());
        }
    }

    /** Stops polling and closes the channel without flushing (after the drain, or on a fatal error). */
    public void closeWithoutFlush() {
        poller.retract();
        closeChannel(Duration.ZERO);
        if (quarantine != null) {
            quarantine.close();
        }
    }

    /** Stops the status poller's own thread, if any. */
    public void stopPolling() {
        poller.stop();
    }

    private void closeChannel(Duration flushTimeout) {
        if (channel != null) {
            channel.close(flushTimeout);
        }
    }
}
