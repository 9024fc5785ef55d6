package io.snowpiperelay.testkit.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The appends accepted but not yet committed, in order, with the bound on their bytes (backpressure) and the
 * commit stall tests ask for. {@link Engine} adds to it; the {@link Committer} takes due sets off it.
 *
 * <p>Thread-safe: {@link #queueLock} guards every field. Callers may hold a channel's lock when they call
 * {@link #add}; nothing here takes a channel lock.
 */
final class PendingQueue {

    /** Upper bound of NDJSON bytes converted and written in one SQLite transaction. */
    private static final long MAX_BYTES_PER_COMMIT = 4L * 1024 * 1024;

    private final long maxPendingBytes;
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

    PendingQueue(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
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

    /** Queues an accepted batch behind the others and wakes the committer. */
    void add(PendingBatch batch) {
        queueLock.lock();
        try {
            queue.addLast(batch);
            pendingBytes += batch.bytes();
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Stop committing until {@code until} (System.nanoTime) or {@link #resumeCommits()}. */
    void stallCommits(Duration duration) {
        queueLock.lock();
        try {
            long until = System.nanoTime() + duration.toNanos();
            stallUntilNanos = duration.toDays() > 3650 || until < 0 ? Long.MAX_VALUE : until;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    void resumeCommits() {
        queueLock.lock();
        try {
            stallUntilNanos = 0;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Waits until nothing is pending (bounded); for tests and orderly shutdown. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
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

    /**
     * The next set of due batches (at most {@link #MAX_BYTES_PER_COMMIT} bytes), respecting a commit stall; null once
     * the queue is closed. With {@code block} it waits for a due batch, otherwise it returns an empty list when none
     * is due now.
     */
    List<PendingBatch> takeDue(boolean block) {
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
    void release(List<PendingBatch> batches) {
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

    /** Stops handing out batches and discards those pending, like a crash of the service. */
    void close() {
        queueLock.lock();
        try {
            running = false;
            queue.clear();
            pendingBytes = 0;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }
}
