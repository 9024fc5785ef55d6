package io.snowpiperelay.internal;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * Exponential backoff delays, computed by resilience4j's {@link IntervalFunction} so the shape (doubling,
 * capped, jittered when long enough to matter) is the library's rather than hand-written. The runner waits
 * these delays itself, interruptibly by {@code close()}.
 */
public final class Backoff {
    private static final double MULTIPLIER = 2.0;
    private static final double JITTER = 0.3;

    private final IntervalFunction intervals;

    private Backoff(IntervalFunction intervals) {
        this.intervals = intervals;
    }

    /** Doubling from {@code initial} up to {@code max}; jittered (±30%) when {@code initial} is at least 10 ms. */
    public static Backoff exponential(Duration initial, Duration max) {
        Duration first = initial.compareTo(max) > 0 ? max : initial;
        if (first.toMillis() >= 10) {
            return new Backoff(IntervalFunction.ofExponentialRandomBackoff(first, MULTIPLIER, JITTER, max));
        }
        return new Backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(Math.max(1, first.toMillis())),
                MULTIPLIER, max.toMillis() < 1 ? Duration.ofMillis(1) : max));
    }

    /** The delay before attempt number {@code attempt} (1 = the first retry). */
    public Duration delay(int attempt) {
        return Duration.ofMillis(intervals.apply(Math.max(1, Math.min(attempt, 60))));
    }
}
