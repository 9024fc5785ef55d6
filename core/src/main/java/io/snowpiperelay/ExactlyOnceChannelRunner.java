package io.snowpiperelay;

import io.snowpiperelay.internal.ChannelCycle;
import io.snowpiperelay.internal.ChannelProgress;
import io.snowpiperelay.internal.ClientHandle;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.RunnerCounters;
import io.snowpiperelay.internal.RunnerSignal;
import io.snowpiperelay.internal.ServiceReachability;
import io.snowpiperelay.internal.StopRequestedException;
import io.snowpiperelay.internal.UncommittedWindow;
import io.snowpiperelay.internal.sdk.SdkClientPort;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.types.RowChecker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

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
 *       on {@code appendRows} returning; on open only when the source vouches for that range
 *       ({@link OffsetSource#highestIssuedOffset()}) or this runner appended those rows; a source that cannot
 *       tell gets no delete on open and one WARN.</li>
 *   <li>Tokens are compared as numbers; a token that is not a non-negative decimal long is fatal
 *       ({@link RelayHaltedException}, {@code INVALID_OFFSET_TOKEN}).</li>
 *   <li>Offsets from the source must be &gt; 0 and strictly increasing, checked before a batch is sent
 *       ({@link RelayHaltedException}, {@code OFFSET_ORDER}).</li>
 *   <li>If another writer opens the same channel, this runner stops with {@link ChannelFencedException} as soon
 *       as the service says so ({@code STALE_CONTINUATION_TOKEN_SEQUENCER}), without reopening: the newcomer keeps
 *       the channel. Without that code, {@link RunnerConfig#fencingReopenLimit()} quick invalidations in a row
 *       mean the same, and so does a committed token above what this runner appended to its channel instance
 *       (nothing is deleted for it).</li>
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
 * OFF and rely on the runner's WARN lines and {@link RunnerMetrics}. The SDK's native core prints to stdout at the
 * level {@code SS_LOG_LEVEL}; docs/configuration.md ("Logging") recommends {@code error} and says why.
 */
public final class ExactlyOnceChannelRunner implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceChannelRunner.class);

    /**
     * The SLF4J marker of the one ERROR line a runner logs when it stops for good. An application that prints the
     * failure itself (from {@link #failure()} or the listener's {@code fatal}) can deny this marker in its logging
     * configuration, so each failure is shown once.
     */
    public static final String FATAL_MARKER = "RELAY_FATAL";
    private static final Marker FATAL = MarkerFactory.getMarker(FATAL_MARKER);

    /** Extra time {@link #close()} waits beyond the close timeout for the loop to finish its last steps. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final String channelName;
    private final OffsetSource source;
    private final RunnerConfig config;
    private final ClientHandle clients;
    private final ClientHandle quarantineClients;
    private final boolean ownsClients;
    // An interrupt of the runner's thread asks for a stop like close() does, and moves the state the same way.
    private final RunnerSignal signal = new RunnerSignal(this::stoppingAfterInterrupt);
    // The cycle's parts (in io.snowpiperelay.internal) do the relaying; this class owns the lifecycle.
    private final ChannelCycle cycle;
    private final ChannelProgress progress;
    private final UncommittedWindow window;
    private final RunnerCounters counters;

    // Lifecycle: moved only by advance(), through CAS.
    private final AtomicReference<RunnerState> state = new AtomicReference<>(RunnerState.NEW);
    private volatile Throwable failure;
    private volatile Thread runThread;
    private final CountDownLatch finished = new CountDownLatch(1);

    private ExactlyOnceChannelRunner(Builder b, ClientHandle clients, ClientHandle quarantineClients,
                                     boolean ownsClients, boolean polledByGroup) {
        this.channelName = b.channelName;
        this.source = b.source;
        this.config = b.config;
        this.clients = clients;
        this.quarantineClients = quarantineClients;
        this.ownsClients = ownsClients;
        this.cycle = new ChannelCycle(channelName, source, config, b.listener, b.deadLetterHandler, clients,
                polledByGroup, this::moveTo, signal, b.rowChecker, quarantineClients);
        this.progress = cycle.progress();
        this.window = cycle.window();
        this.counters = cycle.counters();
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
        long oldest = window.oldestAppendedNanos();
        Duration lag = oldest == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - oldest));
        ServiceReachability.Unreachable unreachable = clients.unreachable();
        return RunnerMetrics.builder()
                .channel(channelName)
                .state(state.get())
                .committedOffset(progress.committedOffset())
                .appendedOffset(progress.appendedOffset())
                .deletedOffset(progress.deletedOffset())
                .uncommittedRows(window.rows())
                .uncommittedBytes(window.bytes())
                .rowsAppended(counters.rowsAppended())
                .appendCalls(counters.appendCalls())
                .reopenCount(counters.reopens())
                .rowErrorCount(counters.rowErrors())
                .deadLetterCount(counters.deadLetters())
                .backpressureCount(counters.backpressure())
                .commitLag(lag)
                .serviceUnreachable(unreachable == null ? null : unreachable.describe())
                .build();
    }

    /**
     * Whether everything is relayed: the last read of the source returned nothing, and everything appended is
     * confirmed committed and deleted. Records that were dead-lettered after the last committed row stay in the
     * source until a later row commits. Thread-safe.
     */
    public boolean isDrained() {
        return state.get() == RunnerState.RUNNING && cycle.isCaughtUp();
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
            cycle.open();
            moveTo(RunnerState.RUNNING);
            cycle.loop();
            cycle.drain();
            cycle.closeWithoutFlush();
            moveTo(RunnerState.CLOSED);
            log.info("{} - closed; committed offset {}, deleted up to {}", channelName, progress.committedOffset(),
                    progress.deletedOffset());
        } catch (StopRequestedException stop) {
            cycle.closeWithoutFlush();
            moveTo(RunnerState.CLOSED);
            log.info("{} - closed while opening the channel; committed offset {}", channelName,
                    progress.committedOffset());
        } catch (Throwable t) {
            fail(t);
        } finally {
            cycle.stopPolling();
            if (ownsClients) {
                closeClients();
            }
            finished.countDown();
            if (signal.wasInterrupted()) {
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
        signal.requestStop();
        RunnerState before = advance(s -> switch (s) {
            case NEW -> RunnerState.CLOSED;
            case OPENING, RUNNING, REOPENING -> RunnerState.CLOSING;
            default -> null;
        });
        if (before == RunnerState.NEW) {
            // Never ran: nothing to drain.
            if (ownsClients) {
                closeClients();
            }
            finished.countDown();
            return;
        }
        signal.wake();
    }

    private void closeClients() {
        clients.close();
        if (quarantineClients != null) {
            quarantineClients.close();
        }
    }

    private void stoppingAfterInterrupt() {
        advance(s -> switch (s) {
            case OPENING, RUNNING, REOPENING -> RunnerState.CLOSING;
            default -> null;
        });
    }

    /** Waits until run() has returned (or the runner was closed unrun). */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fail(Throwable t) {
        failure = t;
        advance(s -> s.isTerminal() ? null : RunnerState.FAILED);
        log.error(FATAL, "{} - stopped: {}", channelName, t.toString());
        cycle.closeWithoutFlush();
        cycle.events().fatal(t);
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
    private RunnerState advance(UnaryOperator<RunnerState> next) {
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

    // ---------------------------------------------------------------- for the group

    /**
     * Reads the channel's status (committed token, row errors, validity) and hands it to the runner's thread.
     * Called by the runner's own poller, or by its {@link RelayGroup}. Never throws.
     */
    void pollStatus() {
        cycle.poller().pollStatus();
    }

    /** The id of the current channel instance, or -1 between instances. For the group's batched token reads. */
    long instanceId() {
        return cycle.poller().instanceId();
    }

    /** Hands a committed token read by the group's batched call for instance {@code instanceId}. */
    void offerCommittedToken(long instanceId, String token) {
        cycle.poller().offerCommittedToken(instanceId, token);
    }

    /** The source's description (for the group's messages). */
    String sourceDescription() {
        return source.describe();
    }

    @Override
    public String toString() {
        return "ExactlyOnceChannelRunner[" + channelName + ", " + state.get() + ", source=" + source.describe() + "]";
    }

    // ---------------------------------------------------------------- builder

    /**
     * Collects a runner's parts. Required: {@link #channelName}, {@link #source}, a {@link #pipe}, and either a
     * {@link #profile} (the runner builds and owns its SDK client) or {@link #sharedClients} (the runner uses the
     * pipe's shared client); runners of a {@link RelayGroup} are built by the group. Not thread-safe.
     */
    public static final class Builder {
        private String channelName;
        private OffsetSource source;
        private RunnerConfig config = RunnerConfig.defaults();
        private RelayListener listener = new RelayListener() { };
        private DeadLetterHandler deadLetterHandler;
        private ClientProfile profile;
        private PipeName pipe;
        private PipeName quarantinePipe;
        private String clientName;
        private SharedClients sharedClients;
        private Supplier<ClientPort> clientFactory;
        private Supplier<ClientPort> quarantineClientFactory;
        private RowChecker rowChecker;

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

        /**
         * Checks every JSON row against the target table's columns before it is appended, with Snowflake's
         * conversion rules: a row the table would reject (a string in a NUMBER column, an unknown timestamp, a
         * VARCHAR over its length, a number out of DECIMAL(p,s) range, a missing NOT NULL column...) goes to the
         * dead-letter handler with a reason naming the column and the rule, and the stream goes on. Default: no
         * check (only that each payload is one JSON object). Build the checker from the table's columns, e.g.
         * {@code RowChecker.of("LIFT_RIDE", ColumnDefinitions.parse(createTableSql))} or
         * {@code RowChecker.of("LIFT_RIDE", SnowflakeTableColumns.read(connection, "DB", "PUBLIC", "LIFT_RIDE"))}.
         * Row-map records ({@code SourceRecord.ofRow}) are not checked.
         */
        public Builder rowChecker(RowChecker rowChecker) {
            this.rowChecker = rowChecker;
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

        /**
         * The quarantine pipe: a pipe whose table has the same columns as the target's but is a scratch table (for
         * example {@code CREATE TABLE LIFT_RIDE_QUARANTINE LIKE LIFT_RIDE} and its default pipe
         * {@code LIFT_RIDE_QUARANTINE-STREAMING}). When the service rejects rows, the suspect rows are sent there
         * again, in groups and one by one, to find exactly which were rejected and why, without landing any row
         * twice in the target; the rows that are fine pile up in the scratch table, which may be truncated at any
         * time. Default none: then every row of a range with rejected rows is dead-lettered, marked
         * {@link io.snowpiperelay.spi.DeadLetter#MAY_HAVE_LANDED}. See {@code docs/exactly-once.md}.
         */
        public Builder quarantinePipe(PipeName quarantinePipe) {
            this.quarantinePipe = quarantinePipe;
            return this;
        }

        /** For tests: the quarantine pipe's client comes from this factory. */
        Builder quarantineClientFactory(Supplier<ClientPort> factory) {
            this.quarantineClientFactory = factory;
            return this;
        }

        /**
         * Use the pipe's client from {@code clients} (and the quarantine pipe's, if one is set) instead of building
         * a client of its own: for runners that come and go while others keep running on the same pipes. The runner
         * never closes a shared client; close {@code clients} after its runners. Excludes {@link #profile} and
         * {@link #clientName} (the shared clients have their own).
         */
        public Builder sharedClients(SharedClients clients) {
            this.sharedClients = clients;
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
            if (sharedClients != null) {
                return buildOnSharedClients();
            }
            Supplier<ClientPort> factory = clientFactory;
            String description;
            String name = clientName != null ? clientName
                    : "relay-" + channelName + "-" + UUID.randomUUID().toString().substring(0, 8);
            if (factory == null) {
                if (profile == null || pipe == null) {
                    throw new IllegalArgumentException("profile = " + (profile == null ? "<missing>" : "<set>")
                            + ", pipe = " + pipe + ": both are required to build a runner on its own");
                }
                ClientProfile p = profile;
                PipeName target = pipe;
                factory = () -> SdkClientPort.build(name, target, p);
                description = target.toString();
            } else {
                description = pipe != null ? pipe.toString() : "test client";
            }
            ClientHandle quarantine = null;
            if (quarantineClientFactory != null) {
                quarantine = new ClientHandle(quarantineClientFactory, "test quarantine client");
            } else if (quarantinePipe != null) {
                if (profile == null) {
                    throw new IllegalArgumentException("quarantinePipe = " + quarantinePipe
                            + " needs a profile to build its client");
                }
                ClientProfile p = profile;
                PipeName q = quarantinePipe;
                quarantine = new ClientHandle(() -> SdkClientPort.build(name + "-quarantine", q, p), q.toString());
            }
            ServiceReachability reachability = profile != null && clientFactory == null
                    ? new ServiceReachability(profile.serviceUrl()) : null;
            return new ExactlyOnceChannelRunner(this, new ClientHandle(factory, description, reachability,
                    ServiceReachability.DEFAULT_FIRST_PROBE_AFTER), quarantine, true, false);
        }

        private ExactlyOnceChannelRunner buildOnSharedClients() {
            if (profile != null || clientName != null || clientFactory != null) {
                throw new IllegalArgumentException("sharedClients = " + sharedClients + " and "
                        + (profile != null ? "profile" : clientName != null ? "clientName" : "a client factory")
                        + " are both set; the shared clients carry their own profile and names: set one");
            }
            if (pipe == null) {
                throw new IllegalArgumentException("pipe = null; a runner on shared clients needs its pipe");
            }
            ClientHandle quarantine = quarantinePipe == null ? null : sharedClients.handle(quarantinePipe);
            return new ExactlyOnceChannelRunner(this, sharedClients.handle(pipe), quarantine, false, false);
        }

        /**
         * Builds a runner that shares {@code clients} (and {@code quarantineClients}, which may be null) and is
         * polled by its group.
         */
        ExactlyOnceChannelRunner buildForGroup(ClientHandle clients, ClientHandle quarantineClients) {
            validateCommon();
            return new ExactlyOnceChannelRunner(this, clients, quarantineClients, false, true);
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
