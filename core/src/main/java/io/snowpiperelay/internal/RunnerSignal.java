package io.snowpiperelay.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a runner's thread waits on: a wake-up (a poll result arrived, {@code close()} was called) and the stop
 * request. Every wait of the runner goes through here, so {@code close()} cuts any of them short.
 *
 * <p>Thread-safe: {@link #wake()} and {@link #requestStop()} come from any thread; the waits are made by the
 * runner's thread only. {@code signalled} is guarded by {@code lock}.
 */
public final class RunnerSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition condition = lock.newCondition();
    private final Runnable onInterrupt;
    // guarded by lock
    private boolean signalled;
    private volatile boolean stopRequested;
    private volatile boolean interrupted;

    /** A signal whose owner hears of nothing but through {@link #isStopRequested()}. */
    public RunnerSignal() {
        this(() -> { });
    }

    /**
     * @param onInterrupt called (on the runner's thread) when a wait is interrupted: the interrupt asks for a stop
     *                    as {@code close()} does, and the owner moves its state accordingly
     */
    public RunnerSignal(Runnable onInterrupt) {
        this.onInterrupt = onInterrupt;
    }

    /** Wakes the runner's current or next wait. */
    public void wake() {
        lock.lock();
        try {
            signalled = true;
            condition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the stop as requested; the caller wakes the runner when it should notice at once. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether {@code close()} (or an interrupt) asked the runner to stop. */
    public boolean isStopRequested() {
        return stopRequested;
    }

    /** Whether the runner's thread was interrupted during a wait (it then stops, and re-interrupts at the end). */
    public boolean wasInterrupted() {
        return interrupted;
    }

    /** @throws StopRequestedException when a stop was requested */
    public void throwIfStopRequested() {
        if (stopRequested) {
            throw new StopRequestedException();
        }
    }

    /**
     * Waits up to {@code d} for a wake-up (or, with {@code wakeOnStop}, a stop request); consumes the wake-up.
     * An interrupt counts as a stop request.
     */
    public void await(Duration d, boolean wakeOnStop) {
        long nanos = d.toNanos();
        boolean interruptedNow = false;
        lock.lock();
        try {
            while (!signalled && nanos > 0 && !(wakeOnStop && stopRequested)) {
                nanos = condition.awaitNanos(nanos);
            }
            signalled = false;
        } catch (InterruptedException e) {
            interrupted = true;
            stopRequested = true;
            interruptedNow = true;
        } finally {
            lock.unlock();
        }
        if (interruptedNow) {
            onInterrupt.run();
        }
    }

    /** Waits the full {@code d} unless a stop is requested. */
    public void waitUnlessStopped(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while (!stopRequested && (left = deadline - System.nanoTime()) > 0) {
            await(Duration.ofNanos(left), true);
        }
    }
}
