package io.snowpiperelay.testing;

import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.internal.PortException;
import io.snowpiperelay.internal.PortException.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fake Snowpipe Streaming service plus client/channel ports, modelling what matters for exactly-once:
 * <ul>
 *   <li>appends are buffered as pending batches per channel instance and committed later, in order, on another
 *       thread (auto-commit) or when the test says so ({@link #commitNext(int)});</li>
 *   <li>opening a channel bumps its sequencer: the previous instance becomes invalid and its pending
 *       (uncommitted) batches are dropped, as the service does;</li>
 *   <li>faults: invalidate a channel or a client, fail opens/appends with a kind, backpressure, a competing
 *       writer that re-opens the channel before each of our appends (fencing), rows rejected at commit;</li>
 *   <li>statuses are stamped with the SDK's refresh time ({@link #sdkClockSkew} moves that clock away from the
 *       JVM's), and can be served from a frozen snapshot ({@link #freezeStatus}) as the SDK's status cache does
 *       when its refreshes fail or lag;</li>
 *   <li>a writer that opens the channel and commits on it ({@link #anotherWriterCommits}): like the SDK's
 *       name-keyed status cache, our superseded instance's status reads then show the other writer's token until
 *       our instance appends again.</li>
 * </ul>
 * Thread-safe: every state change is guarded by {@code this}.
 */
public final class FakeSnowpipe implements AutoCloseable {

    private final class ChannelState {
        String committedToken;
        long sequencer;
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        long rowsErrorCount;
        String lastErrorUpper;
        String lastErrorMessage;
        boolean competingWriter;
        boolean competitorSendsStaleCode;
        boolean openedByAnotherWriter;
        int failAppends;
        Kind failAppendKind;
        String failAppendMessage;
        int backpressure;
        int failStatusReads;
        Kind failStatusKind;
        boolean statusByNameUntilAppend;
        ChannelStatusView frozenStatus;
    }

    private record Pending(long sequencer, List<Map<String, Object>> rows, String lastToken) { }

    // guarded by this
    private final Map<String, ChannelState> channels = new HashMap<>();
    // guarded by this: every committed row, in commit order
    private final List<Map<String, Object>> committedRows = new ArrayList<>();
    // guarded by this
    private boolean autoCommit = true;
    // guarded by this
    private int failOpens;
    private Kind failOpenKind;
    private Predicate<Map<String, Object>> rejectRow = r -> false;
    private long clientGenerationInvalid = -1;
    private Duration sdkClockSkew = Duration.ZERO;

    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private final AtomicInteger clientsClosed = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger appendCalls = new AtomicInteger();
    private final AtomicInteger statusReads = new AtomicInteger();
    private final AtomicInteger batchedReads = new AtomicInteger();
    private final ScheduledExecutorService committer;

    public FakeSnowpipe() {
        committer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-snowpipe-committer");
            t.setDaemon(true);
            return t;
        });
        committer.scheduleWithFixedDelay(this::autoCommitTick, 2, 2, TimeUnit.MILLISECONDS);
    }

    private void autoCommitTick() {
        synchronized (this) {
            if (autoCommit) {
                commitNext(Integer.MAX_VALUE);
            }
        }
    }

    // ------------------------------------------------------------------ test controls

    /** Stops committing on its own; pending batches wait for {@link #commitNext} or {@link #resumeCommits}. */
    public synchronized void pauseCommits() {
        autoCommit = false;
    }

    /** Commits on its own again (every couple of milliseconds, on the committer thread). */
    public synchronized void resumeCommits() {
        autoCommit = true;
    }

    /** Commits up to {@code batches} pending batches of every channel, in order; returns how many. */
    public synchronized int commitNext(int batches) {
        int done = 0;
        for (ChannelState c : channels.values()) {
            int n = 0;
            while (n < batches && !c.pending.isEmpty()) {
                Pending p = c.pending.pollFirst();
                for (Map<String, Object> row : p.rows) {
                    if (rejectRow.test(row)) {
                        c.rowsErrorCount++;
                        c.lastErrorUpper = p.lastToken;
                        c.lastErrorMessage = "Numeric value 'secret' is not recognized";
                    } else {
                        committedRows.add(row);
                    }
                }
                c.committedToken = p.lastToken;
                n++;
                done++;
            }
        }
        return done;
    }

    /** Sets a channel's committed token (e.g. a pre-existing "500", a foreign "abc", or a regression). */
    public synchronized void setCommittedToken(String channel, String token) {
        state(channel).committedToken = token;
    }

    /** The channel's committed token. */
    public synchronized String committedToken(String channel) {
        return state(channel).committedToken;
    }

    /** The committed offset as a long (0 when none) — for the source's invariant-2 check. */
    public synchronized long committedOffset(String channel) {
        String t = state(channel).committedToken;
        return t == null ? 0 : Long.parseLong(t);
    }

    /** Invalidates the current instance of the channel (as a bumped sequencer would) and drops its pending rows. */
    public synchronized void invalidate(String channel) {
        ChannelState c = state(channel);
        c.sequencer++;
        c.pending.clear();
    }

    /** The next {@code n} appends on the channel fail with {@code kind} (a channel fault also invalidates it). */
    public synchronized void failNextAppends(String channel, int n, Kind kind, String message) {
        ChannelState c = state(channel);
        c.failAppends = n;
        c.failAppendKind = kind;
        c.failAppendMessage = message;
    }

    /** The next {@code n} appends on the channel throw backpressure (nothing is buffered). */
    public synchronized void backpressure(String channel, int n) {
        state(channel).backpressure = n;
    }

    /** The next {@code n} opens (of any channel) fail with {@code kind}. */
    public synchronized void failNextOpens(int n, Kind kind) {
        failOpens = n;
        failOpenKind = kind;
    }

    /** The next {@code n} status reads of the channel fail with {@code kind} (the channel itself stays valid). */
    public synchronized void failNextStatusReads(String channel, int n, Kind kind) {
        ChannelState c = state(channel);
        c.failStatusReads = n;
        c.failStatusKind = kind;
    }

    /** The SDK's clock (which stamps every status's refresh time) runs {@code skew} ahead of the JVM's (or behind). */
    public synchronized void sdkClockSkew(Duration skew) {
        sdkClockSkew = skew;
    }

    /**
     * Status reads of the channel return the status as it is now (token, stamp) until {@link #unfreezeStatus}, as
     * the SDK's cache does while its refreshes fail; opens still return the live status.
     */
    public synchronized void freezeStatus(String channel) {
        state(channel).frozenStatus = view(channel);
    }

    /** Status reads of the channel show the live state again. */
    public synchronized void unfreezeStatus(String channel) {
        state(channel).frozenStatus = null;
    }

    /**
     * Another writer opens the channel and commits up to {@code token} on it, then stays idle. Our instance is
     * superseded, but as with the SDK (whose statuses come from a cache keyed by channel name) its status reads
     * keep answering, with the other writer's token, until it appends again; then it meets the stale sequencer.
     */
    public synchronized void anotherWriterCommits(String channel, String token) {
        ChannelState c = state(channel);
        c.sequencer++;
        c.pending.clear();
        c.openedByAnotherWriter = true;
        c.statusByNameUntilAppend = true;
        c.committedToken = token;
    }

    /** Another writer re-opens the channel before each of our appends, so each append finds our instance stale. */
    public synchronized void competingWriter(String channel, boolean serviceSendsStaleCode) {
        ChannelState c = state(channel);
        c.competingWriter = true;
        c.competitorSendsStaleCode = serviceSendsStaleCode;
    }

    /**
     * Another writer opens the channel once and then stays idle: our instance is fenced and, like the real
     * service, its next append or status read answers with the stale-sequencer code. Not counted in {@link #opens()}.
     */
    public synchronized void anotherWriterOpens(String channel) {
        ChannelState c = state(channel);
        c.sequencer++;
        c.pending.clear();
        c.openedByAnotherWriter = true;
    }

    /** How many times the channel was (re)opened by anyone, including {@link #anotherWriterOpens}. */
    public synchronized long sequencer(String channel) {
        return state(channel).sequencer;
    }

    /** Rows matching {@code predicate} are rejected at commit and counted in the channel status. */
    public synchronized void rejectRows(Predicate<Map<String, Object>> predicate) {
        rejectRow = predicate;
    }

    /** Adds to a channel's cumulative error count (e.g. errors from before the runner opened it). */
    public synchronized void addRowErrors(String channel, long n, String upperBound) {
        ChannelState c = state(channel);
        c.rowsErrorCount += n;
        c.lastErrorUpper = upperBound;
        c.lastErrorMessage = "earlier errors";
    }

    /** Invalidates every client built so far: their channels and opens fail with CLIENT_INVALID. */
    public synchronized void invalidateClients() {
        clientGenerationInvalid = clientsBuilt.get();
    }

    /** Every row committed so far, in commit order. */
    public synchronized List<Map<String, Object>> committedRows() {
        return new ArrayList<>(committedRows);
    }

    /** The "id" column of every committed row, in commit order. */
    public synchronized List<Long> committedIds() {
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> r : committedRows) {
            ids.add(((Number) r.get("id")).longValue());
        }
        return ids;
    }

    /** Pending (appended, uncommitted) rows of a channel. */
    public synchronized int pendingRows(String channel) {
        return state(channel).pending.stream().mapToInt(p -> p.rows.size()).sum();
    }

    public int clientsBuilt() {
        return clientsBuilt.get();
    }

    /** Clients closed so far (a client closed twice counts once). */
    public int clientsClosed() {
        return clientsClosed.get();
    }

    public int opens() {
        return opens.get();
    }

    public int appendCalls() {
        return appendCalls.get();
    }

    public int statusReads() {
        return statusReads.get();
    }

    public int batchedReads() {
        return batchedReads.get();
    }

    /** A new client (what the runner's client factory returns). */
    public ClientPort newClient() {
        return new FakeClient(clientsBuilt.incrementAndGet());
    }

    @Override
    public void close() {
        committer.shutdownNow();
    }

    private ChannelState state(String channel) {
        return channels.computeIfAbsent(channel, k -> new ChannelState());
    }

    private synchronized ChannelStatusView view(String channel) {
        ChannelState c = state(channel);
        return new ChannelStatusView("SUCCESS", c.committedToken, c.rowsErrorCount, c.lastErrorUpper,
                c.lastErrorMessage, Instant.now().plus(sdkClockSkew));
    }

    // ------------------------------------------------------------------ ports

    private final class FakeClient implements ClientPort {
        private final long generation;
        private volatile boolean closed;

        FakeClient(long generation) {
            this.generation = generation;
        }

        void checkUsable() {
            synchronized (FakeSnowpipe.this) {
                if (closed) {
                    throw new PortException(Kind.CLIENT_INVALID, "ClosedClientError", "client closed");
                }
                if (generation <= clientGenerationInvalid) {
                    throw new PortException(Kind.CLIENT_INVALID, "InvalidClientError", "client invalidated");
                }
            }
        }

        @Override
        public OpenedChannel open(String name) {
            synchronized (FakeSnowpipe.this) {
                checkUsable();
                opens.incrementAndGet();
                if (failOpens > 0) {
                    failOpens--;
                    throw new PortException(failOpenKind, failOpenKind.name(), "injected open failure " + failOpenKind);
                }
                ChannelState c = state(name);
                // A (re)open bumps the sequencer: older instances are fenced and their pending rows dropped.
                c.sequencer++;
                c.pending.clear();
                c.openedByAnotherWriter = false;
                c.statusByNameUntilAppend = false;
                return new OpenedChannel(new FakeChannel(this, name, c.sequencer), view(name));
            }
        }

        @Override
        public Map<String, String> latestCommittedTokens(List<String> names) {
            checkUsable();
            batchedReads.incrementAndGet();
            Map<String, String> map = new LinkedHashMap<>();
            synchronized (FakeSnowpipe.this) {
                for (String n : names) {
                    map.put(n, state(n).committedToken);
                }
            }
            return map;
        }

        @Override
        public String describe() {
            return "fake client " + generation;
        }

        @Override
        public void close() {
            synchronized (FakeSnowpipe.this) {
                if (!closed) {
                    clientsClosed.incrementAndGet();
                }
                closed = true;
            }
        }
    }

    private final class FakeChannel implements ChannelPort {
        private final FakeClient client;
        private final String name;
        private final long sequencer;
        private volatile boolean closed;

        FakeChannel(FakeClient client, String name, long sequencer) {
            this.client = client;
            this.name = name;
            this.sequencer = sequencer;
        }

        private void checkValid(ChannelState c) {
            if (client.generation <= clientGenerationInvalid) {
                throw new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError",
                        "Channel " + name + " is in an invalid state (client invalidated)");
            }
            if (closed) {
                throw new PortException(Kind.CHANNEL_INVALID, "ClosedChannelError", "channel " + name + " closed");
            }
            if (c.sequencer != sequencer) {
                throw new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError",
                        "Channel " + name + " is in an invalid state. Please close and re-open the channel"
                                + (c.openedByAnotherWriter ? ". Inner Error: HTTP 400, error_code="
                                + PortException.STALE_SEQUENCER_CODE + ", message=Channel sequencer in the"
                                + " continuation token is stale." : ""));
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken) {
            synchronized (FakeSnowpipe.this) {
                appendCalls.incrementAndGet();
                ChannelState c = state(name);
                c.statusByNameUntilAppend = false; // the append meets the stale sequencer and tells our instance
                if (c.competingWriter && c.sequencer == sequencer) {
                    c.sequencer++;
                    c.pending.clear();
                    String msg = "Channel " + name + " is in an invalid state."
                            + (c.competitorSendsStaleCode ? " HTTP 400, error_code=" + PortException.STALE_SEQUENCER_CODE
                            + ", message=Channel sequencer in the continuation token is stale." : "");
                    throw new PortException(Kind.CHANNEL_INVALID, "InvalidChannelError", msg);
                }
                checkValid(c);
                if (c.backpressure > 0) {
                    c.backpressure--;
                    throw new PortException(Kind.BACKPRESSURE, "ReceiverSaturated", "Inflight-data buffers running full");
                }
                if (c.failAppends > 0) {
                    c.failAppends--;
                    if (c.failAppendKind == Kind.CHANNEL_INVALID || c.failAppendKind == Kind.AUTH) {
                        c.sequencer++;
                        c.pending.clear();
                    }
                    throw new PortException(c.failAppendKind, c.failAppendKind.name(), c.failAppendMessage);
                }
                if (rows.isEmpty()) {
                    throw new PortException(Kind.UNKNOWN, "InvalidRequest", "empty appendRows");
                }
                long first = Long.parseLong(firstToken);
                long last = Long.parseLong(lastToken);
                if (first > last) {
                    throw new AssertionError("firstToken " + firstToken + " > lastToken " + lastToken);
                }
                // Copy: the caller may reuse its list (the real SDK serialises during the call).
                c.pending.addLast(new Pending(sequencer, new ArrayList<>(rows), lastToken));
            }
        }

        @Override
        public ChannelStatusView status() {
            statusReads.incrementAndGet();
            synchronized (FakeSnowpipe.this) {
                ChannelState c = state(name);
                if (c.failStatusReads > 0) {
                    c.failStatusReads--;
                    throw new PortException(c.failStatusKind, c.failStatusKind.name(), "injected status failure");
                }
                if (!(c.statusByNameUntilAppend && c.sequencer != sequencer && !closed)) {
                    checkValid(c);
                }
                return c.frozenStatus != null ? c.frozenStatus : view(name);
            }
        }

        @Override
        public void close(Duration flushTimeout) {
            closed = true;
        }
    }
}
