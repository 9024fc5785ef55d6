package io.snowpiperelay.postgres;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.SharedClients;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.postgres.internal.FairShare;
import io.snowpiperelay.postgres.internal.LeaseHold;
import io.snowpiperelay.postgres.internal.LeaseStore;
import io.snowpiperelay.postgres.internal.StreamNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One member of a fleet of relays sharing the partitions of a {@link PostgresOutbox}: each process of a service runs
 * one, and the members split the partitions evenly among themselves through leases in the same PostgreSQL, with no
 * other coordinator.
 *
 * <pre>{@code
 * PostgresOutbox outbox = PostgresOutbox.open(dataSource, PostgresOutboxConfig.builder()
 *         .partitions("LIFT_RIDE", 8).build());
 * try (RelayFleet fleet = RelayFleet.builder()
 *         .outbox(outbox)
 *         .profile(ClientProfile.fromJsonFile(Path.of("profile.json")))
 *         .stream("LIFT_RIDE", "DEMO", "PUBLIC", "LIFT_RIDE")   // channels LIFT_RIDE_P0 .. LIFT_RIDE_P7
 *         .build()) {
 *     fleet.start();
 *     ...                                                     // close(): drain, release, leave
 * }
 * }</pre>
 *
 * <h2>What it guarantees (invariant 9)</h2>
 * <ul>
 *   <li><b>One writer per partition.</b> A member relays a partition only while it holds the partition's lease
 *       ({@code <prefix>_lease}: owner, epoch, expiry by the database's clock). After each renewal it may write until
 *       {@code (when the renewal was sent) + leaseDuration - renewMargin} by its own monotonic clock, which is at
 *       least {@code renewMargin} before the database lets anyone else claim it; at that point its source hands out
 *       no more rows and its runner is stopped. Members' wall clocks never matter.</li>
 *   <li><b>Fencing, twice.</b> The new owner opens the partition's channel, named after the partition
 *       ({@code <TABLE>_P<n>}), never after a member: Snowflake fences the old writer, drops what it appended but had
 *       not committed, and the new owner resumes after the channel's committed token. Stamping and every delete run
 *       in a transaction that checks the lease and its epoch first and locks the lease row until commit, so a member
 *       that lost its lease can neither stamp nor delete.</li>
 *   <li><b>Balance.</b> Each heartbeat a member computes its fair share of the partitions among the live members
 *       ({@code <prefix>_member}); a member over its share drains and releases the extra partitions, a member under
 *       it claims free or expired ones, picked at random with rows in use skipped, at jittered times. A joining
 *       member gets its share within about two heartbeats plus the releasing members' drain; a dead member's
 *       partitions are claimed within its lease expiry plus one heartbeat.</li>
 *   <li><b>Graceful close.</b> {@link #close()} drains every owned partition (bounded by the runners' close
 *       timeout), releases the leases at once and leaves, so others take over without waiting for expiry.</li>
 * </ul>
 * Exactly once holds per partition for the same reasons as for one runner: the committed token and the outbox are
 * the only state.
 *
 * <h2>Safety rule checked by the builder</h2>
 * {@code heartbeatInterval * }{@value #RENEWALS_PER_LEASE}{@code  < leaseDuration - renewMargin}: a lease survives
 * two failed heartbeats in a row, and the member stops {@code renewMargin} before the lease can be taken. The margin
 * must cover what happens between the source's last lease check and an append reaching Snowflake (normally
 * milliseconds); beyond it, Snowflake's channel fencing still drops the late writer's rows.
 *
 * <h2>Threading</h2>
 * One heartbeat thread (the caller's, in {@link #run()}), one thread per owned partition running its
 * {@link ExactlyOnceChannelRunner}, and a small pool that drains released partitions. The member's runners share one
 * SDK client per target pipe ({@link SharedClients}), built when the first partition of the pipe is claimed and closed
 * when the member has closed: claiming a partition opens a channel, it builds no client.
 * Every public method is thread-safe.
 */
public final class RelayFleet implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayFleet.class);

    /** How long a lease lasts after its last renewal, by the database's clock. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    /** How often a member renews its leases and rebalances (each wait jittered by +-20%). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
    /** How long before the database's expiry a member stops writing to a partition it could not renew. */
    public static final Duration DEFAULT_RENEW_MARGIN = Duration.ofSeconds(5);
    /** Heartbeats per lease the builder insists on: {@code heartbeatInterval * this < leaseDuration - renewMargin}. */
    public static final int RENEWALS_PER_LEASE = 3;
    /** Jitter of every heartbeat wait, as a fraction of the interval either way. */
    static final double HEARTBEAT_JITTER = 0.2;
    /** Members expired for longer than this many lease durations are removed from the member table. */
    private static final int FORGET_MEMBER_AFTER_LEASES = 20;
    /** How often per heartbeat interval the watchdog looks for partitions whose local deadline passed. */
    private static final int DEADLINE_CHECKS_PER_HEARTBEAT = 5;
    /** Extra time close() allows beyond the runners' close timeout. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private enum Lifecycle { NEW, RUNNING, CLOSING, CLOSED }

    private final PostgresOutbox outbox;
    private final LeaseStore leases;
    private final String member;
    private final SharedClients clients;
    private final RunnerConfig runnerConfig;
    private final RelayListener relayListener;
    private final FleetListener listener;
    private final Duration leaseDuration;
    private final Duration heartbeatInterval;
    private final Duration renewMargin;
    private final Map<String, StreamSpec> streams;
    private final List<String> streamNames;
    private final int totalPartitions;

    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    /**
     * Partitions claimed whose source and runner are being started on a worker thread, by stream/partition key.
     * Renewed like owned ones; moved to {@link #owned} once started.
     */
    private final Map<String, LeaseHold> starting = new ConcurrentHashMap<>();
    /** The partitions this member holds, by channel name. Written by the heartbeat thread and the workers. */
    private final Map<String, OwnedPartition> owned = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    /** Stops partitions whose local deadline passed even while a heartbeat hangs (an unreachable database). */
    private final ScheduledExecutorService deadlineWatch;
    private final LongAdder claims = new LongAdder();
    private final LongAdder losses = new LongAdder();
    private final LongAdder releases = new LongAdder();
    private final LongAdder rebalances = new LongAdder();
    private final LongAdder heartbeatFailures = new LongAdder();
    private volatile int lastTarget = -1;
    private volatile int lastLiveMembers;
    /** The heartbeat's session; used by the heartbeat thread only. */
    private Connection heartbeatSession;

    private record StreamSpec(String stream, PipeName pipe, String channelPrefix, int partitions) { }

    /** A partition held by this member: the lease, its source and its runner. */
    private static final class OwnedPartition {
        final StreamSpec spec;
        final LeaseHold hold;
        final String channel;
        final FleetPartitionSource source;
        final ExactlyOnceChannelRunner runner;
        /** Set once when the member starts giving the partition up (release or loss); never cleared. */
        final AtomicReference<String> leaving = new AtomicReference<>();

        OwnedPartition(StreamSpec spec, LeaseHold hold, String channel, FleetPartitionSource source,
                       ExactlyOnceChannelRunner runner) {
            this.spec = spec;
            this.hold = hold;
            this.channel = channel;
            this.source = source;
            this.runner = runner;
        }
    }

    private RelayFleet(Builder b) {
        this.outbox = b.outbox;
        this.leases = new LeaseStore(b.outbox.config());
        this.member = b.memberId;
        this.clients = SharedClients.of(b.profile, "relay-fleet-" + b.memberId);
        this.runnerConfig = b.runnerConfig;
        this.relayListener = b.relayListener;
        this.listener = b.listener;
        this.leaseDuration = b.leaseDuration;
        this.heartbeatInterval = b.heartbeatInterval;
        this.renewMargin = b.renewMargin;
        this.streams = new LinkedHashMap<>(b.streams);
        this.streamNames = List.copyOf(streams.keySet());
        this.totalPartitions = streams.values().stream().mapToInt(StreamSpec::partitions).sum();
        this.deadlineWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "relay-fleet-deadline-" + member);
            thread.setDaemon(true);
            return thread;
        });
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "relay-fleet-worker-" + member);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This member's id (unique in the fleet). */
    public String memberId() {
        return member;
    }

    /**
     * Creates the lease tables if missing, registers the partitions and checks their counts, then runs the heartbeat
     * on a daemon thread of its own. Returns once the fleet is set up, not once partitions are claimed.
     *
     * @throws IllegalStateException   when already started or closed
     * @throws PostgresOutboxException when the tables cannot be set up, or the lease table knows another partition
     *                                 count for a stream than this member's configuration
     */
    public void start() {
        prepare();
        Thread thread = new Thread(this::heartbeatLoop, "relay-fleet-" + member);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * As {@link #start()}, but runs the heartbeat on the calling thread until {@link #close()} (which this method
     * then finishes: drains, releases, leaves).
     */
    @Override
    public void run() {
        prepare();
        heartbeatLoop();
    }

    /** Ends a start that found the configuration wrong: the member is closed, {@code message} says why. */
    private PostgresOutboxException refuseToStart(StreamSpec spec, String message) {
        lifecycle.set(Lifecycle.CLOSED);
        finished.countDown();
        return new PostgresOutboxException(outbox.table(), spec.stream, message, null);
    }

    private void prepare() {
        if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
            throw new IllegalStateException("RelayFleet member " + member + " is " + lifecycle.get()
                    + "; start() or run() may be called once");
        }
        try (Connection connection = outbox.dataSource().getConnection()) {
            leases.createTables(connection);
            for (StreamSpec spec : streams.values()) {
                leases.registerPartitions(connection, spec.stream, spec.partitions);
                int known = leases.knownPartitions(connection, spec.stream);
                if (known != spec.partitions) {
                    throw refuseToStart(spec, "stream " + spec.stream + " has " + known + " partitions in "
                            + leases.leaseTable() + " but this member is configured with " + spec.partitions
                            + "; the partition count of a stream is fixed. Configure PostgresOutboxConfig.partitions(\""
                            + spec.stream + "\", " + known + ")");
                }
                int highest = outbox.highestPartitionWithRows(spec.stream);
                if (highest >= spec.partitions) {
                    throw refuseToStart(spec, "stream " + spec.stream + " has rows in partition " + highest
                            + " but the fleet has " + spec.partitions + " partitions (0 to " + (spec.partitions - 1)
                            + "): a producer appends with more, and no member would ever relay those rows. Give"
                            + " every producer and member the same PostgresOutboxConfig.partitions(\"" + spec.stream
                            + "\", n)");
                }
            }
        } catch (SQLException e) {
            lifecycle.set(Lifecycle.CLOSED);
            finished.countDown();
            throw new PostgresOutboxException(outbox.table(), null, "relay fleet member " + member
                    + ": setting up " + leases.leaseTable() + " failed: " + e.getMessage() + " (SQLState "
                    + e.getSQLState() + "); the role needs CREATE on the schema, or the tables created by hand"
                    + " (docs/scaling-out.md)", e);
        }
        long watchEvery = Math.max(1, heartbeatInterval.toNanos() / DEADLINE_CHECKS_PER_HEARTBEAT);
        deadlineWatch.scheduleAtFixedRate(this::stopExpired, watchEvery, watchEvery, TimeUnit.NANOSECONDS);
        log.info("fleet member {} - started: {} partition(s) of {} stream(s), lease {}, heartbeat {}, margin {}",
                member, totalPartitions, streams.size(), leaseDuration, heartbeatInterval, renewMargin);
    }

    private void heartbeatLoop() {
        try {
            while (stopRequested.getCount() > 0) {
                // Paced from each heartbeat's start, so a slow heartbeat does not push the next renewal out.
                long next = System.nanoTime() + jittered(heartbeatInterval);
                heartbeat();
                stopRequested.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutDown();
        }
    }

    private long jittered(Duration interval) {
        double factor = 1 + HEARTBEAT_JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return (long) (interval.toNanos() * factor);
    }

    // ------------------------------------------------------------------------------------------- heartbeat

    /** One heartbeat: register, renew, drop what was lost, then release extras or claim the missing share. */
    private void heartbeat() {
        try {
            Connection connection = heartbeatSession();
            leases.heartbeat(connection, member, leaseDuration);
            renew(connection);
            rebalance(connection);
        } catch (SQLException | RuntimeException e) {
            heartbeatFailures.increment();
            closeHeartbeatSession();
            log.warn("fleet member {} - heartbeat failed: {}; partitions whose lease runs out stop", member,
                    e.toString());
            stopExpired();
        }
    }

    /**
     * Renews every lease this member holds, extends the local deadlines, stops partitions whose lease is gone and
     * releases those whose runner stopped.
     */
    private void renew(Connection connection) throws SQLException {
        long renewSent = System.nanoTime();
        List<LeaseStore.Held> renewed = leases.renew(connection, member, leaseDuration);
        Map<String, LeaseStore.Held> renewedByKey = new HashMap<>();
        for (LeaseStore.Held held : renewed) {
            renewedByKey.put(key(held.stream(), held.partition()), held);
        }
        long validUntil = renewSent + leaseDuration.minus(renewMargin).toNanos();
        Set<String> ownedKeys = new TreeSet<>();
        for (OwnedPartition partition : owned.values()) {
            LeaseStore.Held current = renewedByKey.get(key(partition.spec.stream, partition.hold.lease().partition()));
            ownedKeys.add(key(partition.spec.stream, partition.hold.lease().partition()));
            if (current == null || current.epoch() != partition.hold.lease().epoch()) {
                lose(partition, "the lease was not renewed: it expired or another member took it");
            } else {
                partition.hold.extendTo(validUntil);
                if (partition.leaving.get() == null && partition.runner.state().isTerminal()) {
                    release(partition, "its runner stopped ("
                            + partition.runner.failure().map(Throwable::toString).orElse("closed") + ")");
                }
            }
        }
        for (LeaseHold hold : starting.values()) {
            LeaseStore.Held current = renewedByKey.get(key(hold.lease().stream(), hold.lease().partition()));
            if (current != null && current.epoch() == hold.lease().epoch()) {
                hold.extendTo(validUntil);
                ownedKeys.add(key(current.stream(), current.partition()));
            } else {
                hold.revoke("the lease was not renewed: it expired or another member took it");
            }
        }
        for (LeaseStore.Held held : renewed) {
            if (!ownedKeys.contains(key(held.stream(), held.partition()))) {
                // Held in the table but not here (a start that failed, or this id's earlier life): free it.
                leases.release(connection, member, held);
            }
        }
    }

    /** Loses every partition whose local deadline passed. Run by the watchdog and after a failed heartbeat. */
    private void stopExpired() {
        try {
            long now = System.nanoTime();
            for (OwnedPartition partition : owned.values()) {
                String why = partition.hold.whyNotHeld(now);
                if (why != null && partition.leaving.get() == null) {
                    lose(partition, why);
                }
            }
        } catch (RuntimeException e) {
            log.warn("fleet member {} - deadline check failed: {}", member, e.toString());
        }
    }

    private void rebalance(Connection connection) throws SQLException {
        List<String> live = leases.liveMembers(connection,
                leaseDuration.multipliedBy(FORGET_MEMBER_AFTER_LEASES));
        int target = FairShare.target(totalPartitions, live, member);
        List<OwnedPartition> active = new ArrayList<>();
        for (OwnedPartition partition : owned.values()) {
            if (partition.leaving.get() == null) {
                active.add(partition);
            }
        }
        int holding = active.size() + starting.size();
        if (target != lastTarget || live.size() != lastLiveMembers) {
            lastTarget = target;
            lastLiveMembers = live.size();
            rebalances.increment();
            log.info("fleet member {} - {} live member(s), share {} of {} partition(s), holding {}", member,
                    live.size(), target, totalPartitions, holding);
            listener.rebalanced(member, live.size(), holding, target);
        }
        if (stopRequested.getCount() == 0) {
            return;
        }
        if (active.size() > target) {
            active.sort(Comparator.comparing((OwnedPartition p) -> p.channel));
            for (OwnedPartition extra : active.subList(target, active.size())) {
                release(extra, "rebalance: share is " + target + " of " + totalPartitions + " among " + live.size()
                        + " member(s)");
            }
        } else if (holding < target) {
            long claimSent = System.nanoTime();
            List<LeaseStore.Held> claimed = leases.claim(connection, member, streamNames, target - holding,
                    leaseDuration);
            long validUntil = claimSent + leaseDuration.minus(renewMargin).toNanos();
            for (LeaseStore.Held held : claimed) {
                LeaseHold hold = new LeaseHold(member, held, validUntil);
                starting.put(key(held.stream(), held.partition()), hold);
                // Opening the source takes a few round trips: off the heartbeat, which must keep renewing.
                workers.execute(() -> startPartition(hold));
            }
        }
    }

    private void startPartition(LeaseHold hold) {
        LeaseStore.Held held = hold.lease();
        StreamSpec spec = streams.get(held.stream());
        String channel = spec.channelPrefix + "_P" + held.partition();
        String key = key(held.stream(), held.partition());
        try {
            FleetPartitionSource source = FleetPartitionSource.open(outbox.dataSource(), outbox.tables(), leases,
                    hold, outbox.config().deleteChunkRows(), leaseDuration);
            ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
                    .sharedClients(clients)
                    .pipe(spec.pipe)
                    .channelName(channel)
                    .source(source)
                    .deadLetterHandler(source)
                    .config(runnerConfig)
                    .listener(relayListener)
                    .build();
            OwnedPartition partition = new OwnedPartition(spec, hold, channel, source, runner);
            String why = hold.whyNotHeld(System.nanoTime());
            if (why != null || stopRequested.getCount() == 0) {
                source.close();
                starting.remove(key);
                freeLease(hold, channel, why != null ? why : "the member is closing");
                return;
            }
            owned.put(channel, partition);
            starting.remove(key);
            claims.increment();
            Thread thread = new Thread(runner, "relay-fleet-" + channel);
            thread.setDaemon(true);
            thread.start();
            log.info("fleet member {} - claimed {} (epoch {})", member, channel, held.epoch());
            listener.claimed(member, spec.stream, held.partition(), held.epoch(), channel);
        } catch (RuntimeException e) {
            starting.remove(key);
            log.warn("fleet member {} - {} claimed but did not start: {}; released", member, channel, e.toString());
            freeLease(hold, channel, e.toString());
        }
    }

    private boolean freeLease(LeaseHold hold, String channel, String reason) {
        hold.revoke(reason);
        try (Connection connection = outbox.dataSource().getConnection()) {
            return leases.release(connection, member, hold.lease());
        } catch (SQLException e) {
            log.warn("fleet member {} - freeing the lease of {} failed: {}; it expires by itself", member, channel,
                    e.toString());
            return false;
        }
    }

    /** Stops relaying a partition whose lease is gone: no drain that could write, no release (it is not ours). */
    private void lose(OwnedPartition partition, String reason) {
        partition.hold.revoke(reason);
        if (!partition.leaving.compareAndSet(null, reason)) {
            return; // already draining for a release: the release finds the lease gone and counts nothing
        }
        owned.remove(partition.channel, partition);
        losses.increment();
        log.warn("fleet member {} - lost {} (epoch {}): {}", member, partition.channel,
                partition.hold.lease().epoch(), reason);
        listener.lost(member, partition.spec.stream, partition.hold.lease().partition(),
                partition.hold.lease().epoch(), reason);
        workers.execute(() -> {
            partition.runner.close();
            partition.source.close();
        });
    }

    /** Drains the partition (bounded by the runner's close timeout), then frees its lease. Asynchronous. */
    private void release(OwnedPartition partition, String reason) {
        if (!partition.leaving.compareAndSet(null, reason)) {
            return;
        }
        log.info("fleet member {} - releasing {}: {}", member, partition.channel, reason);
        workers.execute(() -> drainAndRelease(partition));
    }

    private void drainAndRelease(OwnedPartition partition) {
        try {
            partition.runner.close();
        } finally {
            partition.source.close();
            boolean freed = freeLease(partition.hold, partition.channel, "released");
            owned.remove(partition.channel, partition);
            if (freed) {
                releases.increment();
                log.info("fleet member {} - released {} (epoch {})", member, partition.channel,
                        partition.hold.lease().epoch());
                listener.released(member, partition.spec.stream, partition.hold.lease().partition(),
                        partition.hold.lease().epoch());
            }
        }
    }

    private Connection heartbeatSession() throws SQLException {
        if (heartbeatSession == null) {
            Connection connection = outbox.dataSource().getConnection();
            connection.setAutoCommit(true);
            connection.setClientInfo("ApplicationName", "snowpipe-relay fleet heartbeat");
            try (Statement set = connection.createStatement()) {
                // A renewal must never wait out the lease behind a row lock (a guarded write of a frozen member).
                set.execute("SET lock_timeout = " + Math.max(1, heartbeatInterval.toMillis() / 2));
                set.execute("SET statement_timeout = " + leaseDuration.minus(renewMargin).toMillis());
            }
            heartbeatSession = connection;
        }
        return heartbeatSession;
    }

    private void closeHeartbeatSession() {
        if (heartbeatSession != null) {
            try {
                heartbeatSession.close();
            } catch (SQLException e) {
                log.debug("fleet member {} - closing the heartbeat session: {}", member, e.toString());
            }
            heartbeatSession = null;
        }
    }

    private static String key(String stream, int partition) {
        return stream + "/" + partition;
    }

    // --------------------------------------------------------------------------------------------- views

    /**
     * Who holds which partition of this fleet's streams, as the lease table says now (every member's, not only this
     * one's), ordered by stream and partition.
     *
     * @throws PostgresOutboxException when the lease table cannot be read
     */
    public List<PartitionAssignment> assignments() {
        try (Connection connection = outbox.dataSource().getConnection()) {
            List<PartitionAssignment> result = new ArrayList<>();
            for (LeaseStore.Row row : leases.rows(connection, streamNames)) {
                StreamSpec spec = streams.get(row.stream());
                boolean free = row.owner() == null;
                result.add(new PartitionAssignment(row.stream(), row.partition(),
                        spec.channelPrefix + "_P" + row.partition(), row.owner(), row.epoch(),
                        free || row.expiresAt() == null ? null : row.expiresAt().toInstant(), row.live()));
            }
            return result;
        } catch (SQLException e) {
            throw new PostgresOutboxException(outbox.table(), null, "relay fleet member " + member + ": reading "
                    + leases.leaseTable() + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** The channels of the partitions this member holds now (draining ones included), sorted. */
    public List<String> ownedChannels() {
        return List.copyOf(new TreeSet<>(owned.keySet()));
    }

    /** The runners of the partitions this member holds now, by channel name. */
    public Map<String, ExactlyOnceChannelRunner> runners() {
        Map<String, ExactlyOnceChannelRunner> result = new java.util.TreeMap<>();
        owned.forEach((channel, partition) -> result.put(channel, partition.runner));
        return result;
    }

    /** This member's lease counters. */
    public FleetMetrics metrics() {
        return new FleetMetrics(owned.size(), Math.max(lastTarget, 0), lastLiveMembers, claims.sum(), losses.sum(),
                releases.sum(), rebalances.sum(), heartbeatFailures.sum());
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /**
     * Stops claiming, drains every owned partition in parallel (each bounded by the runners' close timeout),
     * releases their leases and leaves the fleet, so other members take over at their next heartbeat. Idempotent;
     * returns within about the runners' close timeout plus a few seconds.
     */
    @Override
    public void close() {
        Lifecycle before = lifecycle.getAndUpdate(s -> s == Lifecycle.NEW || s == Lifecycle.RUNNING
                ? Lifecycle.CLOSING : s);
        if (before == Lifecycle.NEW) {
            lifecycle.set(Lifecycle.CLOSED);
            workers.shutdownNow();
            deadlineWatch.shutdownNow();
            finished.countDown();
            return;
        }
        stopRequested.countDown();
        try {
            if (!finished.await(runnerConfig.closeTimeout().plus(CLOSE_GRACE).plus(heartbeatInterval).toMillis(),
                    TimeUnit.MILLISECONDS)) {
                log.warn("fleet member {} - close() timed out; leases left expire by themselves", member);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Run by the heartbeat thread on its way out: drain and release everything, leave the member table. */
    private void shutDown() {
        try {
            List<OwnedPartition> all = new ArrayList<>(owned.values());
            for (OwnedPartition partition : all) {
                release(partition, "the member is closing");
            }
            deadlineWatch.shutdownNow();
            workers.shutdown();
            // Keep the draining partitions' leases alive until their drains end, so the release finds them held.
            long deadline = System.nanoTime() + runnerConfig.closeTimeout().plus(CLOSE_GRACE).toNanos();
            while (!workers.awaitTermination(heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                if (System.nanoTime() > deadline) {
                    log.warn("fleet member {} - partitions still draining after the close timeout", member);
                    break;
                }
                try {
                    renew(heartbeatSession());
                } catch (SQLException | RuntimeException e) {
                    closeHeartbeatSession();
                    log.warn("fleet member {} - renewing while draining failed: {}", member, e.toString());
                    stopExpired();
                }
            }
            try (Connection connection = outbox.dataSource().getConnection()) {
                leases.leave(connection, member);
            } catch (SQLException e) {
                log.warn("fleet member {} - leaving {} failed: {}; the registration expires by itself", member,
                        leases.memberTable(), e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeHeartbeatSession();
            // After the drains: a runner still draining past its close timeout fails on the closed client, and
            // what it had not seen committed stays in the outbox for the next owner.
            clients.close();
            lifecycle.set(Lifecycle.CLOSED);
            finished.countDown();
            log.info("fleet member {} - closed", member);
        }
    }

    @Override
    public String toString() {
        return "RelayFleet[member " + member + ", " + lifecycle.get() + ", owns " + ownedChannels() + "]";
    }

    // -------------------------------------------------------------------------------------------- builder

    /**
     * Collects a member's settings. Required: {@link #outbox}, {@link #profile} and at least one stream. Not
     * thread-safe; {@link #build()} validates.
     */
    public static final class Builder {
        private PostgresOutbox outbox;
        private ClientProfile profile;
        private RunnerConfig runnerConfig = RunnerConfig.defaults();
        private RelayListener relayListener = new RelayListener() { };
        private FleetListener listener = new FleetListener() { };
        private String memberId = defaultMemberId();
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration renewMargin = DEFAULT_RENEW_MARGIN;
        private final Map<String, StreamSpec> streams = new LinkedHashMap<>();

        private Builder() {
        }

        /** The outbox whose partitions the fleet relays; its configuration gives each stream's partition count. */
        public Builder outbox(PostgresOutbox outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            return this;
        }

        /** Connection settings of the SDK clients (one per target pipe, shared by the member's partitions). */
        public Builder profile(ClientProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** Settings of every partition's runner; its {@code closeTimeout} bounds each drain. */
        public Builder runnerConfig(RunnerConfig config) {
            this.runnerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Observer of the runners' events (thread-safe: every runner calls it from its own thread). */
        public Builder relayListener(RelayListener listener) {
            this.relayListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Observer of this member's claims, losses, releases and rebalances. */
        public Builder listener(FleetListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** This member's id, unique in the fleet; default {@code <host>-<pid>-<random>}. */
        public Builder memberId(String memberId) {
            this.memberId = memberId;
            return this;
        }

        /** See {@link #DEFAULT_LEASE_DURATION}. */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** See {@link #DEFAULT_HEARTBEAT_INTERVAL}. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** See {@link #DEFAULT_RENEW_MARGIN}. */
        public Builder renewMargin(Duration renewMargin) {
            this.renewMargin = renewMargin;
            return this;
        }

        /**
         * Relays {@code stream} into {@code table}'s default pipe in {@code database.schema}, on channels
         * {@code <table>_P<n>}.
         */
        public Builder stream(String stream, String database, String schema, String table) {
            return stream(stream, PipeName.defaultPipeOf(database, schema, table), table);
        }

        /** Relays {@code stream} through {@code pipe}, on channels {@code <channelPrefix>_P<n>}. */
        public Builder stream(String stream, PipeName pipe, String channelPrefix) {
            StreamNames.validate(stream);
            Objects.requireNonNull(pipe, "pipe");
            if (channelPrefix == null || channelPrefix.isBlank()) {
                throw new IllegalArgumentException("channelPrefix of stream " + stream + " is '" + channelPrefix
                        + "'; give the table name, e.g. LIFT_RIDE");
            }
            if (streams.containsKey(stream)) {
                throw new IllegalArgumentException("stream " + stream + " is added twice");
            }
            streams.put(stream, new StreamSpec(stream, pipe, channelPrefix, 0));
            return this;
        }

        /**
         * The member, not started.
         *
         * @throws IllegalArgumentException naming a missing part, or a timing that breaks the safety rule
         *                                  {@code heartbeatInterval * 3 < leaseDuration - renewMargin}
         */
        public RelayFleet build() {
            positive("leaseDuration", leaseDuration);
            positive("heartbeatInterval", heartbeatInterval);
            positive("renewMargin", renewMargin);
            Duration usable = leaseDuration.minus(renewMargin);
            if (heartbeatInterval.multipliedBy(RENEWALS_PER_LEASE).compareTo(usable) >= 0) {
                throw new IllegalArgumentException("heartbeatInterval " + heartbeatInterval + " * "
                        + RENEWALS_PER_LEASE + " is not below leaseDuration " + leaseDuration + " - renewMargin "
                        + renewMargin + " = " + usable + "; a lease must survive two missed heartbeats and end for"
                        + " its holder renewMargin before others may take it. Shorten the heartbeat, lengthen the"
                        + " lease or shrink the margin");
            }
            if (outbox == null) {
                throw new IllegalArgumentException("outbox = <missing>; a PostgresOutbox is required");
            }
            if (profile == null) {
                throw new IllegalArgumentException("profile = <missing>; a ClientProfile is required");
            }
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("streams = 0; add at least one with stream(...)");
            }
            if (memberId == null || !memberId.matches("[A-Za-z0-9_.:@-]{1,100}")) {
                throw new IllegalArgumentException("memberId is '" + memberId + "'; allowed: 1 to 100 of"
                        + " [A-Za-z0-9_.:@-], unique in the fleet");
            }
            Map<String, StreamSpec> resolved = new LinkedHashMap<>();
            streams.forEach((name, spec) -> resolved.put(name, new StreamSpec(name, spec.pipe, spec.channelPrefix,
                    outbox.config().partitions(name))));
            streams.clear();
            streams.putAll(resolved);
            return new RelayFleet(this);
        }

        private static void positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " is " + value + "; allowed: a positive duration");
            }
        }

        private static String defaultMemberId() {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
            } catch (java.io.IOException e) {
                host = "host";
            }
            if (host.length() > 60) {
                host = host.substring(0, 60);
            }
            return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                    + UUID.randomUUID().toString().substring(0, 6);
        }
    }
}
