package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.testkit.ChannelSnapshot;
import io.snowpiperelay.testkit.internal.PendingBatch.Converted;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Snowflake side of one emulator incarnation: channels, continuation tokens, pending appends and the
 * committer thread. A {@code restart()} of the emulator throws the engine away and builds a new one on the same
 * store, which keeps exactly what Snowflake keeps durably (committed rows, tokens, counters, the catalog).
 *
 * <p>Locks: {@code commitLock} serialises commits with opens, drops and rewinds, so a committed token never moves
 * after an open has returned it; each {@link ChannelState} guards its own fields; {@code queueLock} guards the
 * pending queue. Order: commitLock → channel → queueLock; the committer never holds queueLock while taking a
 * channel lock.
 */
public final class Engine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** Upper bound of NDJSON bytes converted and written in one SQLite transaction. */
    private static final long MAX_BYTES_PER_COMMIT = 4L * 1024 * 1024;

    private final SchemaBackend backend;
    private final Store store;
    private final long commitLagNanos;
    private final long maxPendingBytes;
    /** Identifies this incarnation in continuation tokens: tokens of an earlier incarnation are stale. */
    private final String epoch;
    private final Map<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Map<String, PipeBinding> bindings = new ConcurrentHashMap<>();
    private final ReentrantLock commitLock = new ReentrantLock();

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueChanged = queueLock.newCondition();
    /** Guarded by queueLock. */
    private final ArrayDeque<PendingBatch> queue = new ArrayDeque<>();
    /** Guarded by queueLock. */
    private long pendingBytes;
    /** Guarded by queueLock; {@code Long.MAX_VALUE} = stalled until resumed, 0 = not stalled. */
    private long stallUntilNanos;
    /** Guarded by queueLock. */
    private boolean running = true;
    /** Guarded by queueLock: a commit is being written. */
    private boolean committing;

    private final LongAdder rowsCommitted = new LongAdder();
    private final Thread committer;
    /** Converts the next set of due rows while the committer writes the current one; null on a single core. */
    private final ExecutorService mappers;

    public Engine(SchemaBackend backend, Store store, Duration commitLag, long maxPendingBytes) {
        this.backend = backend;
        this.store = store;
        this.commitLagNanos = commitLag.toNanos();
        this.maxPendingBytes = maxPendingBytes;
        this.epoch = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE), 36);
        for (ChannelRecord r : store.channels()) {
            ChannelState c = ChannelState.of(r);
            channels.put(r.database() + '\u0000' + r.schema() + '\u0000' + r.pipe() + '\u0000' + r.channel(), c);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        this.mappers = cores < 2 ? null : Executors.newFixedThreadPool(cores, r -> {
            Thread t = new Thread(r, "snowpipe-emulator-mapper");
            t.setDaemon(true);
            return t;
        });
        this.committer = new Thread(this::runCommitter, "snowpipe-emulator-committer");
        committer.setDaemon(true);
        committer.start();
    }

    /** Forget cached pipe resolutions (after any catalog change). */
    public void catalogChanged() {
        bindings.clear();
    }

    /** Total rows committed by this incarnation. */
    public long rowsCommitted() {
        return rowsCommitted.sum();
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
        queueLock.lock();
        try {
            return pendingBytes >= maxPendingBytes;
        } finally {
            queueLock.unlock();
        }
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
            queueLock.lock();
            try {
                queue.addLast(batch);
                pendingBytes += batch.bytes();
                queueChanged.signalAll();
            } finally {
                queueLock.unlock();
            }
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

    /** Stop committing until {@code until} (System.nanoTime) or {@link #resumeCommits()}. */
    public void stallCommits(Duration duration) {
        queueLock.lock();
        try {
            long until = System.nanoTime() + duration.toNanos();
            stallUntilNanos = duration.toDays() > 3650 || until < 0 ? Long.MAX_VALUE : until;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    public void resumeCommits() {
        queueLock.lock();
        try {
            stallUntilNanos = 0;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Waits until nothing is pending (bounded); for tests and orderly shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        queueLock.lock();
        try {
            while (!queue.isEmpty() || committing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                queueChanged.awaitNanos(left);
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    // ---------------------------------------------------------------- committer

    /**
     * Takes due batches off the queue and commits them, one set at a time, in order. Converting a set (the mapper
     * threads) overlaps with writing the set before it (this thread, SQLite): while set N is written, set N+1 — if
     * it is already due — is being converted, so neither stage waits for the other on a machine with spare cores.
     */
    private void runCommitter() {
        Mapping current = startMapping(takeDue(true));
        while (current != null) {
            List<Converted> converted = current.await();
            List<PendingBatch> next = takeDue(false);
            Mapping following = next == null || next.isEmpty() ? null : startMapping(next);
            if (converted != null) {
                try {
                    write(converted);
                } catch (RuntimeException e) {
                    log.error("snowpipe-emulator - commit of {} batches failed; their rows are lost: {}",
                            current.batches().size(), e.toString());
                }
            }
            release(current.batches());
            if (next == null) {
                return;
            }
            current = following != null ? following : startMapping(takeDue(true));
        }
    }

    /**
     * The next set of due batches (at most {@link #MAX_BYTES_PER_COMMIT} bytes), respecting a commit stall; null once
     * the engine is closed. With {@code block} it waits for a due batch, otherwise it returns an empty list when none
     * is due now.
     */
    private List<PendingBatch> takeDue(boolean block) {
        queueLock.lock();
        try {
            if (block) {
                committing = false;
                queueChanged.signalAll();
            }
            while (running) {
                long now = System.nanoTime();
                long wait;
                if (queue.isEmpty() || stallUntilNanos == Long.MAX_VALUE) {
                    wait = Long.MAX_VALUE;
                } else if (stallUntilNanos != 0 && stallUntilNanos - now > 0) {
                    wait = stallUntilNanos - now;
                } else {
                    stallUntilNanos = 0;
                    wait = queue.peekFirst().dueAtNanos - now;
                }
                if (wait <= 0) {
                    List<PendingBatch> due = new ArrayList<>();
                    long bytes = 0;
                    while (!queue.isEmpty() && queue.peekFirst().dueAtNanos <= now && bytes < MAX_BYTES_PER_COMMIT) {
                        PendingBatch b = queue.pollFirst();
                        bytes += b.bytes();
                        due.add(b);
                    }
                    committing = true;
                    return due;
                }
                if (!block) {
                    return List.of();
                }
                if (wait == Long.MAX_VALUE) {
                    queueChanged.await();
                } else {
                    queueChanged.awaitNanos(wait);
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            queueLock.unlock();
        }
    }

    /** Frees the pending-data budget a committed (or dropped) set held. */
    private void release(List<PendingBatch> batches) {
        long bytes = 0;
        for (PendingBatch b : batches) {
            bytes += b.bytes();
        }
        queueLock.lock();
        try {
            pendingBytes -= bytes;
        } finally {
            queueLock.unlock();
        }
    }

    /** Per-channel accumulation of one commit. */
    private static final class Acc {
        final ChannelState channel;
        String committedToken;
        long rowsInserted;
        long rowsParsed;
        long rowsError;
        String lastErrorUpper;
        String lastErrorMessage;
        Long lastErrorTs;
        long latencySum;
        int batches;

        Acc(ChannelState c) {
            channel = c;
        }
    }

    /** Writes converted batches in one transaction, leaving out those of superseded, invalidated or dropped channels. */
    private void write(List<Converted> due) {
        commitLock.lock();
        try {
            Map<ChannelState, Acc> accs = new IdentityHashMap<>();
            List<Converted> live = new ArrayList<>(due.size());
            for (Converted converted : due) {
                PendingBatch b = converted.batch();
                ChannelState c = b.channel;
                synchronized (c) {
                    if (c.dropped || b.clientSequencer != c.clientSequencer || c.invalidatedSequencer == b.clientSequencer) {
                        continue; // appended by an instance that was superseded, invalidated or dropped
                    }
                }
                live.add(converted);
            }
            if (live.isEmpty()) {
                return;
            }
            long nowMs = System.currentTimeMillis();
            try {
                writeAll(live, accs, nowMs, null);
            } catch (RuntimeException e) {
                // one bad batch must not block the others: write each batch alone, rejecting the rows of a failing one
                log.warn("snowpipe-emulator - commit failed ({}); retrying batch by batch", e.getMessage());
                accs.clear();
                for (Converted b : live) {
                    try {
                        writeAll(List.of(b), accs, nowMs, null);
                    } catch (RuntimeException single) {
                        writeAll(List.of(b), accs, nowMs, single.getMessage());
                    }
                }
            }
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Starts converting the batches' rows on the mapper threads (one batch per task), outside the commit lock; null
     * for null (the engine was closed).
     */
    private Mapping startMapping(List<PendingBatch> due) {
        if (due == null) {
            return null;
        }
        List<Future<Converted>> tasks = new ArrayList<>(due.size());
        for (PendingBatch b : due) {
            if (mappers == null) {
                FutureTask<Converted> inline = new FutureTask<>(b::map);  // on this thread; failures surface in await()
                inline.run();
                tasks.add(inline);
            } else {
                tasks.add(mappers.submit(b::map));
            }
        }
        return new Mapping(due, tasks);
    }

    /** The conversion of one set of batches, in progress on the mapper threads. */
    private record Mapping(List<PendingBatch> batches, List<Future<Converted>> tasks) {

        /**
         * Waits for every batch and returns their rows in order; null (logged: the set's rows are lost, as a failed
         * commit's are) if one failed.
         */
        List<Converted> await() {
            List<Converted> converted = new ArrayList<>(tasks.size());
            for (Future<Converted> t : tasks) {
                try {
                    converted.add(t.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.error("snowpipe-emulator - interrupted while converting {} batches; their rows are lost",
                            batches.size());
                    return null;
                } catch (ExecutionException e) {
                    log.error("snowpipe-emulator - conversion of {} batches failed; their rows are lost: {}", batches.size(),
                            e.getCause().toString());
                    return null;
                }
            }
            return converted;
        }
    }

    /** Writes batches in one transaction and publishes the new channel state; {@code failure} rejects all rows. */
    private void writeAll(List<Converted> batches, Map<ChannelState, Acc> accs, long nowMs, String failure) {
        Map<ChannelState, Acc> local = new IdentityHashMap<>();
        List<Store.RowBatch> rowBatches = new ArrayList<>(batches.size());
        for (Converted converted : batches) {
            PendingBatch b = converted.batch();
            Acc acc = local.get(b.channel);
            if (acc == null) {
                Acc previous = accs.get(b.channel);
                acc = new Acc(b.channel);
                synchronized (b.channel) {
                    ChannelState c = b.channel;
                    acc.committedToken = previous != null ? previous.committedToken : c.committedToken;
                    acc.rowsInserted = previous != null ? previous.rowsInserted : c.rowsInserted;
                    acc.rowsParsed = previous != null ? previous.rowsParsed : c.rowsParsed;
                    acc.rowsError = previous != null ? previous.rowsError : c.rowsErrorCount;
                    acc.lastErrorUpper = previous != null ? previous.lastErrorUpper : c.lastErrorOffsetUpperBound;
                    acc.lastErrorMessage = previous != null ? previous.lastErrorMessage : c.lastErrorMessage;
                    acc.lastErrorTs = previous != null ? previous.lastErrorTs : c.lastErrorTimestampMs;
                }
                local.put(b.channel, acc);
            }
            int errors = converted.rowsError();
            int inserted = converted.rows().size();
            String message = converted.lastErrorMessage();
            if (failure != null) {
                errors += inserted;
                inserted = 0;
                message = "Row could not be stored: " + failure;
            } else if (b.sqliteTable != null) {
                rowBatches.add(new Store.RowBatch(b.sqliteTable, b.columnNames, converted.rows()));
            }
            acc.rowsInserted += inserted;
            acc.rowsParsed += converted.rowsParsed();
            acc.rowsError += errors;
            if (errors > 0) {
                acc.lastErrorUpper = b.offsetToken;
                acc.lastErrorMessage = message;
                acc.lastErrorTs = b.appendedAtMs;
            }
            if (b.offsetToken != null) {
                acc.committedToken = b.offsetToken;
            }
            acc.latencySum += Math.max(0, nowMs - b.appendedAtMs);
            acc.batches++;
        }
        List<ChannelRecord> records = new ArrayList<>(local.size());
        for (Acc acc : local.values()) {
            ChannelState c = acc.channel;
            synchronized (c) {
                records.add(new ChannelRecord(c.database, c.schema, c.pipe, c.channel, c.clientSequencer, acc.committedToken,
                        acc.rowsInserted, acc.rowsParsed, acc.rowsError, acc.lastErrorUpper, acc.lastErrorMessage,
                        acc.lastErrorTs, c.createdOnMs));
            }
        }
        store.commit(rowBatches, records);
        long inserted = 0;
        for (Store.RowBatch rb : rowBatches) {
            inserted += rb.rows().size();
        }
        rowsCommitted.add(inserted);
        for (Acc acc : local.values()) {
            ChannelState c = acc.channel;
            synchronized (c) {
                c.committedToken = acc.committedToken;
                c.rowsInserted = acc.rowsInserted;
                c.rowsParsed = acc.rowsParsed;
                c.rowsErrorCount = acc.rowsError;
                c.lastErrorOffsetUpperBound = acc.lastErrorUpper;
                c.lastErrorMessage = acc.lastErrorMessage;
                c.lastErrorTimestampMs = acc.lastErrorTs;
                long latency = acc.latencySum / acc.batches;
                c.avgProcessingLatencyMs = c.avgProcessingLatencyMs == null ? latency : (c.avgProcessingLatencyMs * 7 + latency) / 8;
            }
            accs.put(c, acc);
        }
    }

    /** Stops the committer; pending (uncommitted) appends are discarded, like a crash of the service. */
    @Override
    public void close() {
        queueLock.lock();
        try {
            running = false;
            queue.clear();
            pendingBytes = 0;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mappers != null) {
            mappers.shutdownNow();
        }
    }
}
