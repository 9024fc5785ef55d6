package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.testkit.ChannelSnapshot;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Snowflake side of one emulator incarnation: channels, continuation tokens and the protocol's replies.
 * Accepted appends go to a {@link PendingQueue}; a {@link Committer} writes them to the {@link Store}. A
 * {@code restart()} of the emulator throws the engine away and builds a new one on the same store, which keeps exactly what Snowflake keeps durably (committed rows, tokens, counters, the catalog).
 *
 * <p>Locks: {@code commitLock} serialises commits with opens, drops and rewinds, so a committed token never moves
 * after an open has returned it; each {@link ChannelState} guards its own fields; the pending queue guards its
 * own. Order: commitLock → channel → queue; the committer never holds the queue's lock while taking a
 * channel lock.
 */
public final class Engine implements AutoCloseable {

    private final SchemaBackend backend;
    private final Store store;
    private final long commitLagNanos;
    /** Identifies this incarnation in continuation tokens: tokens of an earlier incarnation are stale. */
    private final String epoch;
    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Map<String, PipeBinding> bindings = new ConcurrentHashMap<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final PendingQueue pending;
    private final Committer committer;

    public Engine(SchemaBackend backend, Store store, Duration commitLag, long maxPendingBytes) {
        this.backend = backend;
        this.store = store;
        this.commitLagNanos = commitLag.toNanos();
        this.epoch = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE), 36);
        for (ChannelRecord r : store.channels()) {
            ChannelState c = ChannelState.of(r);
            channels.put(r.database() + '\u0000' + r.schema() + '\u0000' + r.pipe() + '\u0000' + r.channel(), c);
        }
        this.pending = new PendingQueue(maxPendingBytes);
        this.committer = new Committer(store, pending, commitLock);
    }

    /** Forget cached pipe resolutions (after any catalog change). */
    public void catalogChanged() {
        bindings.clear();
    }

    /** Total rows committed by this incarnation. */
    public long rowsCommitted() {
        return committer.rowsCommitted();
    }

    // ---------------------------------------------------------------- resolution

    PipeBinding binding(String database, String schema, String pipe) {
        String key = database + '\u0000' + schema + '\u0000' + pipe;
        PipeBinding b = bindings.get(key);
        if (b == null) {
            Optional<PipeTarget> target = backend.resolvePipe(database, schema, pipe);
            if (target.isEmpty()) {
                return null;
            }
            TableSpec table = target.get().table();
            String sqliteName = table == null ? null : store.sqliteName(table);
            b = new PipeBinding(target.get(), sqliteName, table == null ? null : table.columnNames());
            bindings.put(key, b);
        }
        return b;
    }

    // ---------------------------------------------------------------- channel operations

    /** Open or re-open: bump the client sequencer, start a new session. */
    Reply open(PipeBinding b, String dbName, String schemaName, String pipeName, String channel,
               boolean setOffsetToken, String offsetToken) {
        commitLock.lock();
        try {
            String key = b.channelKey(channel);
            ChannelState c = channels.computeIfAbsent(key, k -> {
                ChannelState fresh = new ChannelState(b.target().database(), b.target().schema(), b.target().pipe(), channel);
                fresh.createdOnMs = System.currentTimeMillis();
                return fresh;
            });
            ChannelRecord record;
            StringBuilder out = new StringBuilder(512);
            synchronized (c) {
                c.clientSequencer++;
                c.requestCounter = 0;
                c.expectedToken = token(c.clientSequencer, 0);
                c.lastAppliedToken = null;
                if (setOffsetToken) {
                    c.committedToken = offsetToken;
                }
                record = c.record();
                out.append("{\"next_continuation_token\":");
                Json.string(out, c.expectedToken);
                out.append(",\"channel_status\":");
                c.appendStatusJson(out, dbName, schemaName, pipeName);
                out.append('}');
            }
            store.saveChannel(record);
            return Reply.ok(out.toString());
        } finally {
            commitLock.unlock();
        }
    }

    /** Drop: forget the channel and everything it had not committed. */
    Reply drop(PipeBinding b, String channel) {
        commitLock.lock();
        try {
            ChannelState c = channels.remove(b.channelKey(channel));
            if (c == null) {
                return channelMissing(b, channel);
            }
            String committed;
            synchronized (c) {
                c.dropped = true;
                committed = c.committedToken;
            }
            store.deleteChannel(c.database, c.schema, c.pipe, c.channel);
            StringBuilder out = new StringBuilder("{\"last_committed_offset_token\":");
            Json.string(out, committed);
            return Reply.ok(out.append('}').toString());
        } finally {
            commitLock.unlock();
        }
    }

    /** Bulk status keyed by exactly the requested names; unknown names are omitted. */
    Reply bulkStatus(PipeBinding b, String dbName, String schemaName, String pipeName, List<String> names) {
        StringBuilder out = new StringBuilder(64 + names.size() * 400).append("{\"channel_statuses\":{");
        boolean first = true;
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            ChannelState c = channels.get(b.channelKey(name));
            if (c == null || !seen.add(name)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            Json.string(out, name);
            out.append(':');
            c.appendStatusJson(out, dbName, schemaName, pipeName);
        }
        return Reply.ok(out.append("}}").toString());
    }

    /** Outcome of checking a continuation token. */
    enum TokenCheck { OK, DUPLICATE, STALE, RESTARTED, INVALIDATED, UNKNOWN }

    ChannelState channel(PipeBinding b, String channel) {
        return channels.get(b.channelKey(channel));
    }

    /** Must hold the channel's lock. */
    TokenCheck check(ChannelState c, String token) {
        if (c.dropped) {
            return TokenCheck.UNKNOWN;
        }
        if (token.equals(c.expectedToken)) {
            return c.invalidatedSequencer == c.clientSequencer ? TokenCheck.INVALIDATED : TokenCheck.OK;
        }
        if (token.equals(c.lastAppliedToken)) {
            return TokenCheck.DUPLICATE;
        }
        int a = token.indexOf('_');
        int z = token.lastIndexOf('_');
        if (a <= 0 || z <= a) {
            return TokenCheck.UNKNOWN;
        }
        if (!token.regionMatches(0, epoch, 0, a) || a != epoch.length()) {
            // Issued before a restart: the service lost what it had not committed, but nobody else opened the
            // channel, so this must look like a recoverable invalidation (reopen and rewind), not like fencing.
            return TokenCheck.RESTARTED;
        }
        try {
            long seq = Long.parseLong(token, a + 1, z, 10);
            return seq < c.clientSequencer ? TokenCheck.STALE : TokenCheck.UNKNOWN;
        } catch (NumberFormatException e) {
            return TokenCheck.UNKNOWN;
        }
    }

    static Reply tokenProblem(TokenCheck check, String channel) {
        return switch (check) {
            case STALE -> Reply.error(400, "STALE_CONTINUATION_TOKEN_SEQUENCER",
                    "Channel sequencer in the continuation token is stale. Please reopen the channel");
            case RESTARTED -> Reply.error(400, "ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP",
                    "Channel " + channel + " must be reopened: the service restarted and lost rows it had not committed.");
            case INVALIDATED -> Reply.error(400, "ERR_CHANNEL_MUST_BE_REOPENED",
                    "Channel " + channel + " is invalid and must be reopened.");
            default -> Reply.error(400, "ERR_INVALID_CONTINUATION_TOKEN",
                    "The continuation token is invalid for channel " + channel + ". Please reopen the channel");
        };
    }

    static Reply channelMissing(PipeBinding b, String channel) {
        return Reply.error(404, "ERR_CHANNEL_DOES_NOT_EXIST_OR_IS_NOT_AUTHORIZED",
                "Channel " + channel + " on pipe " + b.target().qualifiedName() + " does not exist or is not authorized.");
    }

    /** Whether pending (uncommitted) data exceeds the bound: answer 503 until the committer catches up. */
    boolean overloaded() {
        return pending.overloaded();
    }

    /**
     * Accept converted rows if the token is still the expected one (re-checked: an open may have happened while
     * the rows were converted).
     */
    Reply accept(ChannelState c, String token, String offsetToken, PipeBinding b, AppendBody body) {
        synchronized (c) {
            TokenCheck check = check(c, token);
            if (check == TokenCheck.DUPLICATE) {
                return continuation(c.expectedToken);
            }
            if (check != TokenCheck.OK) {
                return tokenProblem(check, c.channel);
            }
            PendingBatch batch = new PendingBatch(c, c.clientSequencer, offsetToken, b.sqliteTable(), b.columnNames(),
                    b.target().converter(), body, System.currentTimeMillis(), System.nanoTime() + commitLagNanos);
            c.lastAppliedToken = token;
            c.expectedToken = token(c.clientSequencer, ++c.requestCounter);
            pending.add(batch);
            return continuation(c.expectedToken);
        }
    }

    /** An append: check the continuation token and queue the body for commit (kept as it is, not copied). */
    Reply append(PipeBinding b, String channel, String token, String offsetToken, AppendBody body) {
        ChannelState c = channels.get(b.channelKey(channel));
        if (c == null) {
            return channelMissing(b, channel);
        }
        if (token == null) {
            return Reply.error(400, "ERR_INVALID_CONTINUATION_TOKEN", "The continuation token is missing.");
        }
        token = Paths.decode(token);
        String offset = offsetToken == null || offsetToken.isEmpty() ? null : Paths.decode(offsetToken);
        synchronized (c) {
            TokenCheck check = check(c, token);
            if (check == TokenCheck.DUPLICATE) {
                return continuation(c.expectedToken);
            }
            if (check != TokenCheck.OK) {
                return tokenProblem(check, channel);
            }
        }
        if (overloaded()) {
            return Reply.error(503, "ERR_SERVICE_BUSY",
                    "The emulator has too much uncommitted data; retry later.");
        }
        // the rows are converted at commit time (PendingBatch.map): only the bytes are kept meanwhile
        return accept(c, token, offset, b, body);
    }

    static Reply continuation(String token) {
        return Reply.ok("{\"next_continuation_token\":\"" + token + "\"}");
    }

    private String token(long sequencer, long counter) {
        return epoch + '_' + sequencer + '_' + counter;
    }

    // ---------------------------------------------------------------- test controls

    /** Find a channel by canonical names. */
    Optional<ChannelState> find(String database, String schema, String pipe, String channel) {
        PipeBinding b = binding(database, schema, pipe);
        return b == null ? Optional.empty() : Optional.ofNullable(channels.get(b.channelKey(channel)));
    }

    /** The next append of the current instance gets 400; what it had not committed is discarded. */
    public boolean invalidate(String database, String schema, String pipe, String channel) {
        Optional<ChannelState> c = find(database, schema, pipe, channel);
        c.ifPresent(ch -> {
            synchronized (ch) {
                ch.invalidatedSequencer = ch.clientSequencer;
            }
        });
        return c.isPresent();
    }

    /** Force the committed offset token (may go backwards). */
    public boolean rewindCommittedToken(String database, String schema, String pipe, String channel, String token) {
        commitLock.lock();
        try {
            Optional<ChannelState> c = find(database, schema, pipe, channel);
            if (c.isEmpty()) {
                return false;
            }
            ChannelRecord r;
            synchronized (c.get()) {
                c.get().committedToken = token;
                r = c.get().record();
            }
            store.saveChannel(r);
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    /** A snapshot of a channel, empty if it does not exist. */
    public Optional<ChannelSnapshot> channelView(String database, String schema, String pipe, String channel) {
        return find(database, schema, pipe, channel).map(ChannelState::record).map(r -> new ChannelSnapshot(r.database(),
                r.schema(), r.pipe(), r.channel(), r.clientSequencer(), r.committedToken(), r.rowsInserted(), r.rowsParsed(),
                r.rowsErrorCount(), r.lastErrorOffsetUpperBound(), r.lastErrorMessage(), r.lastErrorTimestampMs(),
                r.createdOnMs()));
    }

    /** Stop committing for {@code duration} or until {@link #resumeCommits()}. */
    public void stallCommits(Duration duration) {
        pending.stallCommits(duration);
    }

    public void resumeCommits() {
        pending.resumeCommits();
    }

    /** Waits until nothing is pending (bounded); for tests and orderly shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return pending.awaitIdle(timeout);
    }

    /** Stops the committer; pending (uncommitted) appends are discarded, like a crash of the service. */
    @Override
    public void close() {
        pending.close();
        committer.close();
    }
}
