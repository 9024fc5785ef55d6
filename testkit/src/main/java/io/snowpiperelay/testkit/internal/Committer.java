package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.testkit.internal.PendingBatch.Converted;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit pipeline of one emulator incarnation: a thread that takes due sets of batches off the
 * {@link PendingQueue}, has the mapper threads convert their rows, and writes each set to the {@link Store} in
 * one transaction, then publishes the channels' new committed tokens and counters.
 *
 * <p>Locks: {@code commitLock} (shared with {@link Engine}) is held while a set is written, so a committed token
 * never moves after an open has returned it; each {@link ChannelState} guards its own fields. The committer never
 * holds the queue's lock while taking a channel lock.
 */
final class Committer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    private final Store store;
    private final PendingQueue queue;
    private final ReentrantLock commitLock;
    private final LongAdder rowsCommitted = new LongAdder();
    private final Thread committer;
    /** Converts the next set of due rows while the committer writes the current one; null on a single core. */
    private final ExecutorService mappers;

    /** Starts the committer thread (and the mapper threads on a machine with more than one core). */
    Committer(Store store, PendingQueue queue, ReentrantLock commitLock) {
        this.store = store;
        this.queue = queue;
        this.commitLock = commitLock;
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

    /** Total rows committed by this incarnation. */
    long rowsCommitted() {
        return rowsCommitted.sum();
    }

    /**
     * Takes due batches off the queue and commits them, one set at a time, in order. Converting a set (the mapper
     * threads) overlaps with writing the set before it (this thread, SQLite): while set N is written, set N+1 — if
     * it is already due — is being converted, so neither stage waits for the other on a machine with spare cores.
     */
    private void runCommitter() {
        Mapping current = startMapping(queue.takeDue(true));
        while (current != null) {
            List<Converted> converted = current.await();
            List<PendingBatch> next = queue.takeDue(false);
            Mapping following = next == null || next.isEmpty() ? null : startMapping(next);
            if (converted != null) {
                try {
                    write(converted);
                } catch (RuntimeException e) {
                    log.error("snowpipe-emulator - commit of {} batches failed; their rows are lost: {}",
                            current.batches().size(), e.toString());
                }
            }
            queue.release(current.batches());
            if (next == null) {
                return;
            }
            current = following != null ? following : startMapping(queue.takeDue(true));
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

    /** Waits (bounded) for the committer thread to end once the queue is closed, then stops the mappers. */
    @Override
    public void close() {
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
