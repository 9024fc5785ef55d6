package io.snowpiperelay;

import io.snowpiperelay.internal.Backoff;
import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientHandle;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OffsetTokens;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.internal.PortException;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.internal.sdk.SdkClientPort;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.spi.SourceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the records of one {@link OffsetSource} into one Snowpipe Streaming channel, exactly once.
 *
 * <pre>{@code
 * try (ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
 *         .profile(ClientProfile.fromJsonFile(Path.of("profile.json")))
 *         .pipe(PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE"))
 *         .channelName("LIFT_RIDE_" + instanceId)
 *         .source(outbox)
 *         .deadLetterHandler(deadLetters)
 *         .build()) {
 *     Thread thread = new Thread(runner, "relay-LIFT_RIDE");
 *     thread.start();
 *     ...
 * } // close(): bounded graceful drain
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 * <ol>
 *   <li>On every (re)open it resumes after the channel's committed offset token: what was appended but not
 *       committed is appended again, nothing committed is appended twice.</li>
 *   <li>It deletes from the source only offsets at or below a committed token read from the channel, never
 *       on {@code appendRows} returning.</li>
 *   <li>Tokens are compared as numbers; a token that is not a non-negative decimal long is fatal
 *       ({@link InvalidOffsetTokenException}).</li>
 *   <li>Offsets from the source must be &gt; 0 and strictly increasing, checked before a batch is sent
 *       ({@link OffsetOrderException}).</li>
 *   <li>If another writer opens the same channel, this runner stops with {@link ChannelFencedException} as soon
 *       as the service says so ({@code STALE_CONTINUATION_TOKEN_SEQUENCER}), without reopening: the newcomer keeps
 *       the channel. Without that code, {@link RunnerConfig#fencingReopenLimit()} quick invalidations in a row
 *       mean the same.</li>
 *   <li>A committed token above the source's highest issued offset stops it before anything is read or deleted
 *       ({@link SourceRegressionException}).</li>
 *   <li>At most {@link RunnerConfig#maxUncommittedRows()} rows and about
 *       {@link RunnerConfig#maxUncommittedBytes()} bytes are appended but unconfirmed at any time.</li>
 * </ol>
 * Exactly once holds across crashes (kill -9 included) because state lives only in Snowflake's committed token
 * and the source. Records that cannot be sent go to the {@link DeadLetterHandler} before their offsets can be
 * deleted; a record dead-lettered near a crash may be dead-lettered again on restart (at least once there).
 *
 * <h2>Threading and lifecycle</h2>
 * {@link #run()} runs the loop on the caller's thread until {@link #close()} or a fatal error; it may be called
 * once. A small daemon thread per runner polls the committed token (the first status read of a channel blocks
 * about a second in the SDK, so polling never stalls appending). {@link #state()}, {@link #failure()},
 * {@link #metrics()} and {@link #close()} are thread-safe. Listener events come from the runner's thread.
 * {@link #run()} never throws for a relay failure: it ends in {@link RunnerState#FAILED} with
 * {@link #failure()} set and the listener's {@code fatal} called; it throws {@link IllegalStateException} when
 * called twice.
 *
 * <h2>Logging</h2>
 * INFO for open/close, WARN for recovered faults, ERROR once for a fatal one; nothing per row. The SDK logs
 * every failed native call ({@code ReceiverSaturated}, and every {@code InvalidChannelError} the runner then
 * recovers from) at ERROR through the SLF4J logger {@code com.snowflake.ingest.streaming.FFIUtil}: set it to
 * OFF and rely on the runner's WARN lines and {@link RunnerMetrics}. The SDK's native core logs INFO to stdout
 * unless the environment variable {@code SS_LOG_LEVEL=warn} is set.
 */
public final class ExactlyOnceChannelRunner implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceChannelRunner.class);

    /** Extra time {@link #close()} waits beyond the close timeout for the loop to finish its last steps. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration SOURCE_RETRY_INITIAL = Duration.ofMillis(50);
    private static final Duration BACKPRESSURE_INITIAL = Duration.ofMillis(10);
    /** A lower committed token counts as a regression only in a status refreshed this long after the open. */
    private static final Duration REGRESSION_GRACE = Duration.ofSeconds(2);

    private final String channelName;
    private final OffsetSource source;
    private final RunnerConfig config;
    private final RelayListener listener;
    private final DeadLetterHandler deadLetters;
    private final ClientHandle clients;
    private final boolean ownsClients;
    private final boolean polledByGroup;
    private final RowConverter converter;
    private final Backoff idleBackoff;
    private final Backoff reopenBackoff;
    private final Backoff sourceBackoff;
    private final Backoff backpressureBackoff;

    // Lifecycle: moved only by advance(), through CAS.
    private final AtomicReference<RunnerState> state = new AtomicReference<>(RunnerState.NEW);
    private volatile Throwable failure;
    private volatile boolean stopRequested;
    private volatile Thread runThread;
    private final CountDownLatch finished = new CountDownLatch(1);

    // Wake-up signal for the runner's waits; 'signalled' is guarded by signalLock.
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition signal = signalLock.newCondition();
    private boolean signalled;

    // Written by the runner thread only; volatile so metrics() and the group can read them.
    private volatile long committedOffset;
    private volatile long appendedOffset;
    private volatile long lastSentOffset;
    private volatile long deletedOffset;
    private volatile long uncommittedRows;
    private volatile long uncommittedBytes;
    private volatile long oldestUncommittedNanos;
    private volatile boolean sourceEmpty;
    private final LongAdder rowsAppended = new LongAdder();
    private final LongAdder appendCalls = new LongAdder();
    private final LongAdder reopenCount = new LongAdder();
    private final LongAdder rowErrorCount = new LongAdder();
    private final LongAdder deadLetterCount = new LongAdder();
    private final LongAdder backpressureCount = new LongAdder();

    // Runner thread only.
    private final ArrayDeque<AppendedChunk> window = new ArrayDeque<>();
    private final ArrayList<Map<String, Object>> chunkRows = new ArrayList<>();
    private final RowConverter.Result conversion = new RowConverter.Result();
    private ChannelPort channel;
    private long clientGeneration;
    private long instanceSeq;
    private Instant openedAt = Instant.EPOCH;
    private long lastOpenNanos;
    private int quickInvalidations;
    private long rowErrorsSeen = -1;
    private String lastStatusCode = "SUCCESS";
    private boolean interrupted;
    private TokenObservation lastToken;
    private StatusObservation lastStatus;

    // Published by the runner thread for the poller (own or group's).
    private volatile Instance instance;
    // Written by pollers, consumed by the runner thread.
    private volatile TokenObservation tokenObservation;
    private volatile StatusObservation statusObservation;
    private volatile PollFailure pollFailure;
    private ScheduledExecutorService poller;

    private record Instance(long id, ChannelPort channel) { }

    private record TokenObservation(long instanceId, String token) { }

    private record StatusObservation(long instanceId, ChannelStatusView status) { }

    private record PollFailure(long instanceId, PortException error) { }

    private record AppendedChunk(long lastOffset, int rows, long bytes, long appendedAtNanos) { }

    /** Thrown inside the loop to unwind to the drain when close() was called during a wait. */
    private static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested() {
            super("stop requested", null, false, false);
        }
    }

    private ExactlyOnceChannelRunner(Builder b, ClientHandle clients, boolean ownsClients, boolean polledByGroup) {
        this.channelName = b.channelName;
        this.source = b.source;
        this.config = b.config;
        this.listener = b.listener;
        this.deadLetters = resolveDeadLetters(b.deadLetterHandler, b.source, b.channelName);
        this.clients = clients;
        this.ownsClients = ownsClients;
        this.polledByGroup = polledByGroup;
        this.converter = new RowConverter(config.maxRowBytes());
        this.idleBackoff = Backoff.exponential(config.idleBackoffInitial(), config.idleBackoffMax());
        this.reopenBackoff = Backoff.exponential(config.reopenBackoffInitial(), config.reopenBackoffMax());
        this.sourceBackoff = Backoff.exponential(SOURCE_RETRY_INITIAL, config.sourceRetryBackoffMax());
        this.backpressureBackoff = Backoff.exponential(BACKPRESSURE_INITIAL, config.backpressureBackoffMax());
    }

    private static DeadLetterHandler resolveDeadLetters(DeadLetterHandler given, OffsetSource source, String channel) {
        if (given != null) {
            return given;
        }
        if (source instanceof DeadLetterHandler sourceHandler) {
            return sourceHandler;
        }
        return letter -> {
            throw new UndeliverableRecordException(channel, letter.offset(), letter.reason());
        };
    }

    /** A builder for a runner. */
    public static Builder builder() {
        return new Builder();
    }

    /** The channel name. Thread-safe. */
    public String channelName() {
        return channelName;
    }

    /** The runner's settings. Thread-safe. */
    public RunnerConfig config() {
        return config;
    }

    /** The current state. Thread-safe. */
    public RunnerState state() {
        return state.get();
    }

    /** The error that stopped the runner, when its state is {@link RunnerState#FAILED}. Thread-safe. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** A snapshot of progress and counters. Thread-safe, lock-free. */
    public RunnerMetrics metrics() {
        long oldest = oldestUncommittedNanos;
        Duration lag = oldest == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - oldest));
        return new RunnerMetrics(channelName, state.get(), committedOffset, appendedOffset, deletedOffset,
                uncommittedRows, uncommittedBytes, rowsAppended.sum(), appendCalls.sum(), reopenCount.sum(),
                rowErrorCount.sum(), deadLetterCount.sum(), backpressureCount.sum(), lag);
    }

    /**
     * Whether everything is relayed: the last read of the source returned nothing, and everything appended is
     * confirmed committed and deleted. Records that were dead-lettered after the last committed row stay in the
     * source until a later row commits. Thread-safe.
     */
    public boolean isDrained() {
        return state.get() == RunnerState.RUNNING && sourceEmpty && uncommittedRows == 0
                && committedOffset >= lastSentOffset && deletedOffset >= committedOffset;
    }

    /**
     * Waits until {@link #isDrained()} or the timeout.
     *
     * @return true when drained, false on timeout
     * @throws RelayException when the runner failed (its failure as the cause) or was closed while waiting
     * @throws InterruptedException when interrupted
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isDrained()) {
            RunnerState s = state.get();
            if (s == RunnerState.FAILED) {
                throw new RelayException("channel " + channelName + " failed: " + failure.getMessage(), failure);
            }
            if (s == RunnerState.CLOSED || s == RunnerState.CLOSING) {
                throw new RelayException("channel " + channelName + " was closed before it drained");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (finished.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS)) {
                continue;
            }
        }
        return true;
    }

    /**
     * Runs the relay loop on the calling thread until {@link #close()} or a fatal error. Never throws for relay
     * failures (see the class doc); interrupting the thread acts like {@link #close()}.
     *
     * @throws IllegalStateException when the runner was already run or closed
     */
    @Override
    public void run() {
        if (advance(s -> s == RunnerState.NEW ? RunnerState.OPENING : null) != RunnerState.NEW) {
            throw new IllegalStateException("channel " + channelName + ": run() called in state " + state.get()
                    + "; a runner runs once, build a new one");
        }
        runThread = Thread.currentThread();
        try {
            startPoller();
            openWithRetry(null);
            moveTo(RunnerState.RUNNING);
            loop();
            drain();
            closeChannel(channel, Duration.ZERO);
            moveTo(RunnerState.CLOSED);
            log.info("{} - closed; committed offset {}, deleted up to {}", channelName, committedOffset, deletedOffset);
        } catch (StopRequested stop) {
            closeChannel(channel, Duration.ZERO);
            moveTo(RunnerState.CLOSED);
            log.info("{} - closed while opening the channel; committed offset {}", channelName, committedOffset);
        } catch (Throwable t) {
            fail(t);
        } finally {
            stopPoller();
            if (ownsClients) {
                clients.close();
            }
            finished.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the runner: no more reads, waits up to {@link RunnerConfig#closeTimeout()} for what was appended to be
     * committed, deletes what was confirmed, closes the channel. What was not confirmed stays in the source and
     * is sent again by the next runner. Idempotent and thread-safe; returns after at most the close timeout plus
     * a few seconds even if the SDK is stuck (the loop then finishes in the background). Closing a runner that
     * was never run just marks it {@link RunnerState#CLOSED}.
     */
    @Override
    public void close() {
        requestStop();
        if (Thread.currentThread() == runThread) {
            return; // called from a listener: the loop ends by itself
        }
        try {
            if (!awaitFinished(config.closeTimeout().plus(CLOSE_GRACE))) {
                log.warn("{} - close() timed out after {}; the loop finishes in the background", channelName,
                        config.closeTimeout().plus(CLOSE_GRACE));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the loop to stop and drain, without waiting. Idempotent. */
    void requestStop() {
        stopRequested = true;
        RunnerState before = advance(s -> switch (s) {
            case NEW -> RunnerState.CLOSED;
            case OPENING, RUNNING, REOPENING -> RunnerState.CLOSING;
            default -> null;
        });
        if (before == RunnerState.NEW) {
            // Never ran: nothing to drain.
            if (ownsClients) {
                clients.close();
            }
            finished.countDown();
            return;
        }
        wake();
    }

    /** Waits until run() has returned (or the runner was closed unrun). */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- the cycle

    private void loop() {
        int idleAttempt = 0;
        while (!stopRequested) {
            try {
                processObservations();
                if (uncommittedRows >= config.maxUncommittedRows() || uncommittedBytes >= config.maxUncommittedBytes()) {
                    // Invariant 7: reading pauses until commits catch up.
                    awaitSignal(config.commitPollInterval(), true);
                    continue;
                }
                int want = (int) Math.min(config.maxBatchRows(), config.maxUncommittedRows() - uncommittedRows);
                long after = appendedOffset;
                List<SourceRecord> batch = withSourceRetry("source read", () -> source.getData(after, want));
                if (batch == null || batch.isEmpty()) {
                    sourceEmpty = true;
                    idleAttempt++;
                    awaitSignal(idleBackoff.delay(idleAttempt), true);
                    continue;
                }
                sourceEmpty = false;
                idleAttempt = 0;
                checkOrder(after, batch, want);
                sendBatch(batch);
            } catch (PortException e) {
                recover(e);
            } catch (StopRequested stop) {
                return; // close() during a wait inside a batch: drain what was appended
            }
        }
    }

    private void checkOrder(long after, List<SourceRecord> batch, int asked) {
        if (batch.size() > asked) {
            throw new RelayException("channel " + channelName + ": " + source.describe() + " returned " + batch.size()
                    + " records when asked for at most " + asked + "; fix the source's getData");
        }
        long previous = after;
        for (int i = 0, n = batch.size(); i < n; i++) {
            long offset = batch.get(i).offset();
            if (offset <= 0 || offset <= previous) {
                throw new OffsetOrderException(channelName, previous, offset, source.describe());
            }
            previous = offset;
        }
    }

    private void sendBatch(List<SourceRecord> batch) {
        chunkRows.clear();
        long chunkBytes = 0;
        long chunkFirst = 0;
        long chunkLast = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            SourceRecord record = batch.get(i);
            if (!converter.convert(record, conversion)) {
                deadLetter(record, conversion.failure);
                continue;
            }
            if (!chunkRows.isEmpty()
                    && (chunkRows.size() >= config.maxAppendRows() || chunkBytes + conversion.bytes > config.maxAppendBytes())) {
                appendChunk(chunkFirst, chunkLast, chunkBytes);
                chunkBytes = 0;
            }
            if (chunkRows.isEmpty()) {
                chunkFirst = record.offset();
            }
            chunkRows.add(conversion.row);
            chunkBytes += conversion.bytes;
            chunkLast = record.offset();
        }
        if (!chunkRows.isEmpty()) {
            appendChunk(chunkFirst, chunkLast, chunkBytes);
        }
        conversion.row = null;
        // Trailing dead letters move the cursor too; they are deleted once a later row commits.
        appendedOffset = batch.get(batch.size() - 1).offset();
    }

    private void deadLetter(SourceRecord record, String reason) {
        String payload = record.isJson() ? record.json() : String.valueOf(record.row());
        DeadLetter letter = new DeadLetter(channelName, record.offset(), payload, reason, Instant.now());
        // Stored before the offset can be deleted: deletion needs a later committed token, which needs a later append.
        deadLetters.handle(letter);
        deadLetterCount.increment();
        log.debug("{} - offset {} dead-lettered: {}", channelName, record.offset(), reason);
        notifyListener(l -> l.deadLettered(channelName, letter));
    }

    private void appendChunk(long first, long last, long bytes) {
        // Invariant 7 in bytes: wait for commits before adding more, unless nothing is outstanding.
        while (uncommittedRows > 0 && uncommittedBytes + bytes > config.maxUncommittedBytes()) {
            if (stopRequested) {
                throw new StopRequested();
            }
            awaitSignal(config.commitPollInterval(), true);
            processObservations();
        }
        long deadline = System.nanoTime() + config.backpressureTimeout().toNanos();
        int attempt = 0;
        String firstToken = OffsetTokens.of(first);
        String lastToken = OffsetTokens.of(last);
        while (true) {
            try {
                channel.appendRows(chunkRows, firstToken, lastToken);
                break;
            } catch (PortException e) {
                if (e.kind() != PortException.Kind.BACKPRESSURE) {
                    throw e;
                }
                // Saturation is the SDK asking us to slow down, not a channel fault: wait, same rows again.
                backpressureCount.increment();
                attempt++;
                if (System.nanoTime() - deadline > 0) {
                    throw new RetriesExhaustedException(channelName, "appendRows (SDK saturated)", attempt,
                            "The SDK stayed saturated for " + config.backpressureTimeout() + "; check its memory"
                                    + " settings (max_append_bytes_to_buffer) and the service's health.", e);
                }
                if (stopRequested) {
                    throw new StopRequested();
                }
                awaitSignal(backpressureBackoff.delay(attempt), true);
            }
        }
        int rows = chunkRows.size();
        chunkRows.clear();
        long now = System.nanoTime();
        if (window.isEmpty()) {
            oldestUncommittedNanos = now;
        }
        window.addLast(new AppendedChunk(last, rows, bytes, now));
        uncommittedRows += rows;
        uncommittedBytes += bytes;
        appendedOffset = last;
        lastSentOffset = last;
        rowsAppended.add(rows);
        appendCalls.increment();
        notifyListener(l -> l.appended(channelName, first, last, rows));
    }

    // ---------------------------------------------------------------- confirm and clean up

    private void processObservations() {
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
            onStatus(s.status);
        }
        TokenObservation t = tokenObservation;
        if (t != null && t != lastToken && t.instanceId == current.id) {
            lastToken = t;
            if (t.token != null) {
                long c = OffsetTokens.parse(channelName, t.token);
                // Batched reads carry no refresh time and may predate the open: a lower value is stale, not a regression.
                if (c > committedOffset) {
                    confirm(c);
                }
            }
        }
    }

    private void onStatus(ChannelStatusView status) {
        reportRowErrors(status);
        String code = status.statusCode();
        if (code != null && !code.equals(lastStatusCode)) {
            lastStatusCode = code;
            if (!"SUCCESS".equals(code)) {
                log.warn("{} - channel status code is {}", channelName, code);
            }
        }
        if (status.committedToken() == null) {
            return; // no information: never a reason to delete, nor to stop
        }
        long c = OffsetTokens.parse(channelName, status.committedToken());
        if (c > committedOffset) {
            confirm(c);
        } else if (c < committedOffset && (status.refreshedAt() == null
                || status.refreshedAt().isAfter(openedAt.plus(REGRESSION_GRACE)))) {
            // A status requested just before our open can arrive just after it and predate commits the open
            // already reported; only a lower value refreshed well after the open is a real regression.
            throw new CommittedTokenRegressedException(channelName, committedOffset, c);
        }
    }

    private void reportRowErrors(ChannelStatusView status) {
        long count = status.rowsErrorCount();
        if (rowErrorsSeen < 0 || count <= rowErrorsSeen) {
            // First look is the baseline (the count is cumulative over the channel's life); a lower value is stale.
            rowErrorsSeen = Math.max(rowErrorsSeen, count);
            return;
        }
        long fresh = count - rowErrorsSeen;
        rowErrorsSeen = count;
        rowErrorCount.add(fresh);
        log.warn("{} - the service rejected {} row(s), the last at or below offset {}", channelName, fresh,
                status.lastErrorOffsetUpperBound());
        log.debug("{} - last row error: {}", channelName, status.lastErrorMessage());
        notifyListener(l -> l.rowErrors(channelName, fresh, status.lastErrorOffsetUpperBound(), status.lastErrorMessage()));
        if (config.rowErrorPolicy() == RowErrorPolicy.STOP) {
            throw new RowErrorsException(channelName, fresh, status.lastErrorOffsetUpperBound(), status.lastErrorMessage());
        }
    }

    /** A committed token was read from the channel: release the window and delete up to it (invariant 2). */
    private void confirm(long committed) {
        committedOffset = committed;
        while (!window.isEmpty() && window.peekFirst().lastOffset <= committed) {
            AppendedChunk done = window.pollFirst();
            uncommittedRows -= done.rows;
            uncommittedBytes -= done.bytes;
        }
        oldestUncommittedNanos = window.isEmpty() ? 0 : window.peekFirst().appendedAtNanos;
        notifyListener(l -> l.committed(channelName, committed));
        if (committed > deletedOffset) {
            withSourceRetry("source delete", () -> {
                source.deleteData(committed);
                return null;
            });
            deletedOffset = committed;
            notifyListener(l -> l.deleted(channelName, committed));
        }
    }

    // ---------------------------------------------------------------- open, reopen, recover

    private void openWithRetry(PortException cause) {
        int failures = 0;
        PortException last = cause;
        while (true) {
            if (stopRequested) {
                throw new StopRequested();
            }
            if (last != null) {
                waitUnlessStopped(reopenBackoff.delay(failures + 1));
                if (stopRequested) {
                    throw new StopRequested();
                }
            }
            long generation = -1;
            try {
                ClientHandle.Current current = clients.current();
                generation = current.generation();
                OpenedChannel opened = current.client().open(channelName);
                onOpened(opened, generation);
                return;
            } catch (PortException e) {
                throwIfFatal(e);
                if (e.kind() == PortException.Kind.CLIENT_INVALID && generation >= 0) {
                    clients.invalidate(generation);
                }
                failures++;
                last = e;
                log.warn("{} - open failed ({} of {}): {}", channelName, failures, config.maxReopenAttempts(), e.getMessage());
                if (failures >= config.maxReopenAttempts()) {
                    throw new RetriesExhaustedException(channelName, "channel open", failures,
                            "Check the service's health and the pipe " + clients.description() + ".", e);
                }
            }
        }
    }

    private void onOpened(OpenedChannel opened, long generation) {
        channel = opened.channel();
        clientGeneration = generation;
        ChannelStatusView status = opened.status();
        long committed = OffsetTokens.parse(channelName, status.committedToken());
        OptionalLong highest = withSourceRetry("source highestIssuedOffset", source::highestIssuedOffset);
        if (highest != null && highest.isPresent() && committed > highest.getAsLong()) {
            throw new SourceRegressionException(channelName, committed, highest.getAsLong(), source.describe());
        }
        if (committed < committedOffset) {
            throw new CommittedTokenRegressedException(channelName, committedOffset, committed);
        }
        reportRowErrors(status);
        // Invariant 1: resume right after the committed token; the rest is appended again.
        window.clear();
        uncommittedRows = 0;
        uncommittedBytes = 0;
        oldestUncommittedNanos = 0;
        appendedOffset = committed;
        lastSentOffset = committed;
        openedAt = Instant.now();
        lastOpenNanos = System.nanoTime();
        lastStatusCode = status.statusCode() == null ? "SUCCESS" : status.statusCode();
        log.info("{} - opened on {}; committed offset {}, resuming after it", channelName, clients.description(), committed);
        notifyListener(l -> l.opened(channelName, committed));
        if (committed > committedOffset || committed > deletedOffset) {
            confirm(committed);
        }
        instance = new Instance(++instanceSeq, channel);
        if (!polledByGroup) {
            wakePoller();
        }
    }

    private void recover(PortException e) {
        throwIfFatal(e);
        if (e.mentionsStaleSequencer()) {
            // The service says someone opened the channel after us. Taking it back would fence the newcomer,
            // and if it is idle both would stay RUNNING, each believing it owns the channel. A service restart
            // does not send this code (it answers ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP, a plain
            // invalidation), so the code alone is proof enough: the newcomer wins, we stop.
            throw new ChannelFencedException(channelName, "the service answered " + PortException.STALE_SEQUENCER_CODE
                    + ": another instance opened the channel after this one", e);
        }
        boolean quick = System.nanoTime() - lastOpenNanos < config.fencingWindow().toNanos();
        quickInvalidations = quick ? quickInvalidations + 1 : 0;
        if (quickInvalidations >= config.fencingReopenLimit()) {
            // Without the service's code: invalidated again soon after each reopen, K times in a row.
            throw new ChannelFencedException(channelName, "invalidated " + quickInvalidations + " time(s) in a row"
                    + " within " + config.fencingWindow() + " of opening it; if no other writer uses it, the service"
                    + " keeps rejecting it, last: " + e.errorCodeName(), e);
        }
        if (e.kind() == PortException.Kind.CLIENT_INVALID) {
            clients.invalidate(clientGeneration);
        }
        log.warn("{} - {} ({}); reopening and rewinding to the committed token", channelName, e.kind(), e.getMessage());
        moveTo(RunnerState.REOPENING);
        instance = null;
        closeChannel(channel, Duration.ZERO);
        channel = null;
        // Nothing more will be confirmed through the dead instance: do not let close() wait for it.
        lastSentOffset = committedOffset;
        reopenCount.increment();
        openWithRetry(e);
        moveTo(RunnerState.RUNNING);
        long resume = committedOffset;
        notifyListener(l -> l.reopened(channelName, resume, e));
    }

    private void throwIfFatal(PortException e) {
        switch (e.kind()) {
            case AUTH -> throw new AuthenticationException("channel " + channelName + " on " + clients.description(),
                    e.errorCodeName(), e);
            case NOT_FOUND -> throw new ObjectNotFoundException("channel " + channelName + " on "
                    + clients.description(), e.errorCodeName(), e);
            case CONFIG -> throw new RelayException("channel " + channelName + ": the SDK rejected the client"
                    + " configuration (" + e.getMessage() + "). Check the profile's url (http(s)://host with"
                    + " three labels) and property values.", e);
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- close and fail

    private void drain() {
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        Instance current = instance;
        if (current != null && committedOffset < lastSentOffset) {
            current.channel.initiateFlush(); // the last rows need not wait for the SDK's next flush tick
        }
        try {
            while (instance != null && committedOffset < lastSentOffset && System.nanoTime() - deadline < 0
                    && !interrupted) {
                processObservations();
                if (committedOffset >= lastSentOffset) {
                    break;
                }
                long left = deadline - System.nanoTime();
                awaitSignal(Duration.ofNanos(Math.max(1, Math.min(left, config.commitPollInterval().toNanos()))), false);
            }
        } catch (PortException e) {
            log.warn("{} - channel failed while draining ({}); unconfirmed rows stay in the source", channelName,
                    e.getMessage());
        }
        if (committedOffset < lastSentOffset) {
            log.info("{} - close: offsets {}..{} were not confirmed within {}; they stay in the source", channelName,
                    committedOffset + 1, lastSentOffset, config.closeTimeout());
        }
    }

    private void fail(Throwable t) {
        failure = t;
        advance(s -> s.isTerminal() ? null : RunnerState.FAILED);
        log.error("{} - stopped: {}", channelName, t.toString());
        instance = null;
        closeChannel(channel, Duration.ZERO);
        notifyListener(l -> l.fatal(channelName, t));
    }

    /** Moves the state during normal operation; never leaves CLOSING (except to CLOSED) or a terminal state. */
    private void moveTo(RunnerState target) {
        advance(s -> s.isTerminal() || (s == RunnerState.CLOSING && target != RunnerState.CLOSED) ? null : target);
    }

    /**
     * The one place the state moves: CAS from the current state to {@code next.apply(current)}, retried on
     * contention; {@code null} means "stay".
     *
     * @return the state before the move, or {@code null} when it did not move
     */
    private RunnerState advance(java.util.function.UnaryOperator<RunnerState> next) {
        while (true) {
            RunnerState current = state.get();
            RunnerState target = next.apply(current);
            if (target == null || target == current) {
                return null;
            }
            if (state.compareAndSet(current, target)) {
                return current;
            }
        }
    }

    private void closeChannel(ChannelPort c, Duration flushTimeout) {
        if (c != null) {
            c.close(flushTimeout);
        }
    }

    // ---------------------------------------------------------------- polling

    private void startPoller() {
        if (polledByGroup) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-poll-" + channelName);
            t.setDaemon(true);
            return t;
        });
        long every = config.commitPollInterval().toNanos();
        poller.scheduleWithFixedDelay(this::pollStatus, every, every, TimeUnit.NANOSECONDS);
    }

    private void wakePoller() {
        ScheduledExecutorService p = poller;
        if (p != null) {
            try {
                p.execute(this::pollStatus);
            } catch (RuntimeException ignored) {
                // shut down: nothing to poll
            }
        }
    }

    private void stopPoller() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /**
     * Reads the channel's status (committed token, row errors, validity) and hands it to the runner's thread.
     * Called by the runner's own poller, or by its {@link RelayGroup}. Never throws.
     */
    void pollStatus() {
        Instance current = instance;
        if (current == null) {
            return;
        }
        try {
            ChannelStatusView status = current.channel.status();
            statusObservation = new StatusObservation(current.id, status);
        } catch (PortException e) {
            pollFailure = new PollFailure(current.id, e);
        } catch (RuntimeException | Error e) {
            // Never let the poller die silently: the runner would wait for commits forever.
            pollFailure = new PollFailure(current.id, new PortException(PortException.Kind.UNKNOWN, "",
                    "status read failed: " + e, e));
        }
        wake();
    }

    /** The id of the current channel instance, or -1 between instances. For the group's batched token reads. */
    long instanceId() {
        Instance current = instance;
        return current == null ? -1 : current.id;
    }

    /** Hands a committed token read by the group's batched call for instance {@code instanceId}. */
    void offerCommittedToken(long instanceId, String token) {
        if (instanceId >= 0 && token != null) {
            tokenObservation = new TokenObservation(instanceId, token);
            wake();
        }
    }

    /** The source's description (for the group's messages). */
    String sourceDescription() {
        return source.describe();
    }

    // ---------------------------------------------------------------- waiting and helpers

    private void wake() {
        signalLock.lock();
        try {
            signalled = true;
            signal.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /** Waits up to {@code d} for a poll result or close(); consumes the signal. */
    private void awaitSignal(Duration d, boolean wakeOnStop) {
        long nanos = d.toNanos();
        signalLock.lock();
        try {
            while (!signalled && nanos > 0 && !(wakeOnStop && stopRequested)) {
                nanos = signal.awaitNanos(nanos);
            }
            signalled = false;
        } catch (InterruptedException e) {
            interrupted = true;
            stopRequested = true;
        } finally {
            signalLock.unlock();
        }
    }

    /** Waits the full {@code d} unless close() is called. */
    private void waitUnlessStopped(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while (!stopRequested && (left = deadline - System.nanoTime()) > 0) {
            awaitSignal(Duration.ofNanos(left), true);
        }
    }

    private <T> T withSourceRetry(String operation, Supplier<T> call) {
        int failures = 0;
        while (true) {
            try {
                return call.get();
            } catch (RelayException e) {
                if (!(e instanceof io.snowpiperelay.spi.SourceException)) {
                    throw e;
                }
                failures = retrySourceOrGiveUp(operation, failures, e);
            } catch (RuntimeException e) {
                failures = retrySourceOrGiveUp(operation, failures, e);
            }
        }
    }

    private int retrySourceOrGiveUp(String operation, int failures, RuntimeException e) {
        int n = failures + 1;
        if (n >= config.sourceRetryAttempts()) {
            throw new RetriesExhaustedException(channelName, operation + " of " + source.describe(), n,
                    "Check the source; nothing unconfirmed was deleted.", e);
        }
        log.warn("{} - {} failed ({} of {}): {}", channelName, operation, n, config.sourceRetryAttempts(), e.toString());
        waitUnlessStopped(sourceBackoff.delay(n));
        if (stopRequested) {
            throw new StopRequested();
        }
        return n;
    }

    private void notifyListener(java.util.function.Consumer<RelayListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            log.warn("{} - listener threw {}; ignored", channelName, e.toString());
        }
    }

    @Override
    public String toString() {
        return "ExactlyOnceChannelRunner[" + channelName + ", " + state.get() + ", source=" + source.describe() + "]";
    }

    // ---------------------------------------------------------------- builder

    /**
     * Collects a runner's parts. Required: {@link #channelName}, {@link #source}, and either a
     * {@link #profile} with a {@link #pipe} (the runner builds and owns its SDK client) or membership of a
     * {@link RelayGroup} (which builds runners itself). Not thread-safe.
     */
    public static final class Builder {
        private String channelName;
        private OffsetSource source;
        private RunnerConfig config = RunnerConfig.defaults();
        private RelayListener listener = new RelayListener() { };
        private DeadLetterHandler deadLetterHandler;
        private ClientProfile profile;
        private PipeName pipe;
        private String clientName;
        private Supplier<ClientPort> clientFactory;

        private Builder() {
        }

        /** The channel name; one writer per channel, e.g. {@code LIFT_RIDE_<instanceId>}. Required. */
        public Builder channelName(String channelName) {
            this.channelName = channelName;
            return this;
        }

        /** The source to drain. Required. */
        public Builder source(OffsetSource source) {
            this.source = source;
            return this;
        }

        /** Settings; default {@link RunnerConfig#defaults()}. */
        public Builder config(RunnerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Observer of events; default none. */
        public Builder listener(RelayListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where records that cannot be sent go. Default: the source itself when it implements
         * {@link DeadLetterHandler}; otherwise such a record stops the runner with
         * {@link UndeliverableRecordException} (never silently dropped).
         */
        public Builder deadLetterHandler(DeadLetterHandler handler) {
            this.deadLetterHandler = handler;
            return this;
        }

        /** Connection settings for the SDK client. */
        public Builder profile(ClientProfile profile) {
            this.profile = profile;
            return this;
        }

        /** The pipe to write through. */
        public Builder pipe(PipeName pipe) {
            this.pipe = pipe;
            return this;
        }

        /** The SDK client's name (shows in Snowflake's telemetry); default {@code relay-<channel>-<random>}. */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        /** For tests and the group: the client comes from this factory instead of a profile. */
        Builder clientFactory(Supplier<ClientPort> factory) {
            this.clientFactory = factory;
            return this;
        }

        /**
         * The runner. Builds no SDK client yet: that happens in {@link #run()}.
         *
         * @throws IllegalArgumentException naming a missing or bad part
         */
        public ExactlyOnceChannelRunner build() {
            validateCommon();
            Supplier<ClientPort> factory = clientFactory;
            String description;
            if (factory == null) {
                if (profile == null || pipe == null) {
                    throw new IllegalArgumentException("profile = " + (profile == null ? "<missing>" : "<set>")
                            + ", pipe = " + pipe + ": both are required to build a runner on its own");
                }
                ClientProfile p = profile;
                PipeName target = pipe;
                String name = clientName != null ? clientName
                        : "relay-" + channelName + "-" + UUID.randomUUID().toString().substring(0, 8);
                factory = () -> SdkClientPort.build(name, target, p);
                description = target.toString();
            } else {
                description = pipe != null ? pipe.toString() : "test client";
            }
            return new ExactlyOnceChannelRunner(this, new ClientHandle(factory, description), true, false);
        }

        /** Builds a runner that shares {@code clients} and is polled by its group. */
        ExactlyOnceChannelRunner buildForGroup(ClientHandle clients) {
            validateCommon();
            return new ExactlyOnceChannelRunner(this, clients, false, true);
        }

        private void validateCommon() {
            if (channelName == null || channelName.isBlank()) {
                throw new IllegalArgumentException("channelName = '" + channelName + "' must not be blank");
            }
            if (source == null) {
                throw new IllegalArgumentException("source = null; an OffsetSource is required");
            }
        }
    }
}
