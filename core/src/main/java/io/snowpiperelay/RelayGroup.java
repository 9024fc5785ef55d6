package io.snowpiperelay;

import io.snowpiperelay.internal.ClientHandle;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.types.RowChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several runners, one channel each, started and stopped together: one channel per table, or N channels per
 * table (each with its own source) to go faster. Runners on the same pipe share one SDK client, and the group
 * reads all of a pipe's committed tokens with one batched {@code getLatestCommittedOffsetTokens} call per poll.
 *
 * <pre>{@code
 * try (RelayGroup group = RelayGroup.builder()
 *         .profile(profile)
 *         .channel(PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE"), "LIFT_RIDE_" + id, rides)
 *         .channel(PipeName.defaultPipeOf("DEMO", "PUBLIC", "TICKET"), "TICKET_" + id, tickets)
 *         .build()) {
 *     group.start();
 *     group.awaitDrained(Duration.ofMinutes(5)); // relay --until-drained
 * }
 * }</pre>
 *
 * <p>One member failing does not stop the others: it is reported through the listener's {@code fatal}, its
 * state ({@link RunnerState#FAILED}) and {@link #failures()}. Every member keeps the guarantees of
 * {@link ExactlyOnceChannelRunner}. Thread-safe. The group runs each member on a thread of its own bounded pool
 * (one thread per member) plus one polling thread.
 */
public final class RelayGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayGroup.class);
    /** Channel statuses (row errors, validity) are read every this many token polls. */
    private static final int STATUS_EVERY_POLLS = 4;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private enum Lifecycle { NEW, STARTED, CLOSED }

    private final List<Member> members;
    private final SharedClients clients;
    private final Duration pollInterval;
    private final Duration closeTimeout;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final AtomicInteger polls = new AtomicInteger();
    private ExecutorService runnerPool;
    private ScheduledExecutorService poller;

    private record Member(PipeName pipe, ExactlyOnceChannelRunner runner) { }

    private RelayGroup(List<Member> members, SharedClients clients, Duration pollInterval,
                       Duration closeTimeout) {
        this.members = List.copyOf(members);
        this.clients = clients;
        this.pollInterval = pollInterval;
        this.closeTimeout = closeTimeout;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every member on the group's pool and the committed-token polling.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
            throw new IllegalStateException("RelayGroup is " + lifecycle.get() + "; start() may be called once");
        }
        AtomicInteger n = new AtomicInteger();
        runnerPool = Executors.newFixedThreadPool(members.size(), r -> {
            Thread t = new Thread(r, "relay-group-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-group-poll");
            t.setDaemon(true);
            return t;
        });
        for (Member m : members) {
            runnerPool.execute(m.runner);
        }
        poller.scheduleWithFixedDelay(this::pollOnce, pollInterval.toNanos(), pollInterval.toNanos(),
                TimeUnit.NANOSECONDS);
        log.info("relay group started: {} channel(s) on {} pipe(s)", members.size(), clients.pipes().size());
    }

    private void pollOnce() {
        boolean readStatus = polls.incrementAndGet() % STATUS_EVERY_POLLS == 1 || STATUS_EVERY_POLLS == 1;
        for (Map.Entry<PipeName, ClientHandle> e : clients.handles().entrySet()) {
            ClientHandle.Current current = e.getValue().peek();
            List<Member> open = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Member m : members) {
                long id = m.runner.instanceId();
                if (m.pipe.equals(e.getKey()) && id >= 0) {
                    open.add(m);
                    ids.add(id);
                    names.add(m.runner.channelName());
                }
            }
            if (current != null && !names.isEmpty()) {
                try {
                    Map<String, String> tokens = current.client().latestCommittedTokens(names);
                    for (int i = 0; i < open.size(); i++) {
                        open.get(i).runner.offerCommittedToken(ids.get(i), tokens.get(names.get(i)));
                    }
                } catch (RuntimeException ex) {
                    // The per-channel status read below surfaces channel faults to each runner.
                    log.debug("{} - batched committed-token read failed: {}", e.getKey(), ex.toString());
                }
            }
            if (readStatus) {
                for (Member m : open) {
                    m.runner.pollStatus();
                }
            }
        }
    }

    /** The members, in the order they were added. */
    public List<ExactlyOnceChannelRunner> runners() {
        List<ExactlyOnceChannelRunner> list = new ArrayList<>(members.size());
        for (Member m : members) {
            list.add(m.runner);
        }
        return Collections.unmodifiableList(list);
    }

    /** The member on channel {@code channelName} (of any pipe), if any. */
    public Optional<ExactlyOnceChannelRunner> runner(String channelName) {
        return members.stream().map(Member::runner).filter(r -> r.channelName().equals(channelName)).findFirst();
    }

    /** Each member's state, by channel name. */
    public Map<String, RunnerState> states() {
        Map<String, RunnerState> map = new LinkedHashMap<>();
        members.forEach(m -> map.put(m.runner.channelName(), m.runner.state()));
        return map;
    }

    /** Each member's metrics, by channel name. */
    public Map<String, RunnerMetrics> metrics() {
        Map<String, RunnerMetrics> map = new LinkedHashMap<>();
        members.forEach(m -> map.put(m.runner.channelName(), m.runner.metrics()));
        return map;
    }

    /** The errors of failed members, by channel name; empty while all are healthy. */
    public Map<String, Throwable> failures() {
        Map<String, Throwable> map = new LinkedHashMap<>();
        members.forEach(m -> m.runner.failure().ifPresent(f -> map.put(m.runner.channelName(), f)));
        return map;
    }

    /** Whether every member is drained (see {@link ExactlyOnceChannelRunner#isDrained()}). */
    public boolean isDrained() {
        return members.stream().allMatch(m -> m.runner.isDrained());
    }

    /**
     * Waits until every member is drained: its source had nothing more to read and everything it appended is
     * committed and deleted. Useful for "relay until the outbox is empty".
     *
     * @return true when drained, false on timeout
     * @throws RelayException as soon as a member fails (its failure as the cause) or is closed
     * @throws InterruptedException when interrupted
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Member m : members) {
            long left = deadline - System.nanoTime();
            if (!m.runner.awaitDrained(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        // A member may have read new rows while we waited for a later one: check all at once.
        while (!isDrained()) {
            Map<String, Throwable> failed = failures();
            if (!failed.isEmpty()) {
                Map.Entry<String, Throwable> first = failed.entrySet().iterator().next();
                throw new RelayException("channel " + first.getKey() + " failed: " + first.getValue().getMessage(),
                        first.getValue());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            for (Member m : members) {
                if (!m.runner.awaitDrained(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Stops every member (all drain in parallel, each bounded by its close timeout), then closes the clients
     * and the pool. Idempotent; bounded.
     */
    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (before == Lifecycle.CLOSED) {
            return;
        }
        for (Member m : members) {
            m.runner.requestStop();
        }
        long deadline = System.nanoTime() + closeTimeout.plus(CLOSE_GRACE).toNanos();
        try {
            for (Member m : members) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!m.runner.awaitFinished(Duration.ofNanos(left))) {
                    log.warn("{} - did not stop within the close timeout", m.runner.channelName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (poller != null) {
            poller.shutdownNow();
        }
        clients.close();
        if (runnerPool != null) {
            runnerPool.shutdownNow();
        }
        log.info("relay group closed");
    }

    /**
     * Collects the members. Channel names must be unique per pipe (one writer per channel). Not thread-safe.
     */
    public static final class Builder {
        private ClientProfile profile;
        private RunnerConfig config = RunnerConfig.defaults();
        private RelayListener listener = new RelayListener() { };
        private String clientNamePrefix = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        private Function<PipeName, ClientPort> clientFactory;
        private final List<MemberSpec> specs = new ArrayList<>();
        private final Map<PipeName, PipeName> quarantinePipes = new LinkedHashMap<>();
        private final Map<PipeName, RowChecker> rowCheckers = new LinkedHashMap<>();

        private record MemberSpec(PipeName pipe, String channel, OffsetSource source, DeadLetterHandler deadLetters,
                                  RunnerConfig config) { }

        private Builder() {
        }

        /** Connection settings; one SDK client is built per pipe from it. */
        public Builder profile(ClientProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Settings for members added without their own; default {@link RunnerConfig#defaults()}. */
        public Builder config(RunnerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Observer of every member's events (must be thread-safe: members call it from their own threads). */
        public Builder listener(RelayListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Prefix of the SDK client names ({@code <prefix>-<pipe>}); default {@code relay-<random>}. */
        public Builder clientNamePrefix(String prefix) {
            this.clientNamePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Adds a member; records it cannot send go to the source if it is a DeadLetterHandler, else stop it. */
        public Builder channel(PipeName pipe, String channelName, OffsetSource source) {
            return channel(pipe, channelName, source, null, null);
        }

        /**
         * Adds a member with its own dead-letter handler and (optionally, {@code null} for the group's) settings.
         */
        public Builder channel(PipeName pipe, String channelName, OffsetSource source, DeadLetterHandler deadLetters,
                               RunnerConfig memberConfig) {
            specs.add(new MemberSpec(Objects.requireNonNull(pipe, "pipe"), channelName, source, deadLetters,
                    memberConfig));
            return this;
        }

        /**
         * Where the members writing through {@code pipe} look for the rows the service rejected: the quarantine pipe,
         * whose table is a scratch table with the same columns as {@code pipe}'s (see
         * {@link ExactlyOnceChannelRunner.Builder#quarantinePipe}). Default none.
         */
        public Builder quarantinePipe(PipeName pipe, PipeName quarantinePipe) {
            quarantinePipes.put(Objects.requireNonNull(pipe, "pipe"),
                    Objects.requireNonNull(quarantinePipe, "quarantinePipe"));
            return this;
        }

        /**
         * Checks the rows of every channel on {@code pipe} against its target table's columns before they are
         * appended; see {@link ExactlyOnceChannelRunner.Builder#rowChecker}. Default: no check.
         */
        public Builder rowChecker(PipeName pipe, RowChecker rowChecker) {
            rowCheckers.put(Objects.requireNonNull(pipe, "pipe"), Objects.requireNonNull(rowChecker, "rowChecker"));
            return this;
        }

        /** For tests: the client of each pipe comes from this factory instead of the profile. */
        Builder clientFactory(Function<PipeName, ClientPort> factory) {
            this.clientFactory = factory;
            return this;
        }

        /**
         * The group, not started.
         *
         * @throws IllegalArgumentException when there is no member, a channel name repeats on a pipe, or no
         *                                  profile was given
         */
        public RelayGroup build() {
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("channels = 0; add at least one with channel(...)");
            }
            if (profile == null && clientFactory == null) {
                throw new IllegalArgumentException("profile = <missing>; a ClientProfile is required");
            }
            SharedClients clients = clientFactory != null ? SharedClients.ofFactory(clientFactory)
                    : SharedClients.of(profile, clientNamePrefix);
            List<Member> members = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            Duration poll = null;
            Duration close = Duration.ZERO;
            for (MemberSpec spec : specs) {
                if (!seen.add(spec.pipe + "/" + spec.channel)) {
                    throw new IllegalArgumentException("channel " + spec.channel + " is added twice on pipe "
                            + spec.pipe + "; one writer per channel");
                }
                ClientHandle handle = clients.handle(spec.pipe);
                RunnerConfig c = spec.config != null ? spec.config : config;
                poll = poll == null || c.commitPollInterval().compareTo(poll) < 0 ? c.commitPollInterval() : poll;
                close = c.closeTimeout().compareTo(close) > 0 ? c.closeTimeout() : close;
                ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
                        .channelName(spec.channel)
                        .source(spec.source)
                        .config(c)
                        .listener(listener)
                        .deadLetterHandler(spec.deadLetters)
                        .pipe(spec.pipe)
                        .rowChecker(rowCheckers.get(spec.pipe))
                        .buildForGroup(handle, quarantineHandle(clients, spec.pipe));
                members.add(new Member(spec.pipe, runner));
            }
            return new RelayGroup(members, clients, poll, close);
        }

        private ClientHandle quarantineHandle(SharedClients clients, PipeName pipe) {
            PipeName quarantine = quarantinePipes.get(pipe);
            // Kept with the group's other clients: polled for no member, closed with the group.
            return quarantine == null ? null : clients.handle(quarantine);
        }
    }
}
