package io.snowpiperelay.internal;

import io.snowpiperelay.RelayException;
import io.snowpiperelay.RetriesExhaustedException;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceException;
import io.snowpiperelay.spi.SourceRecord;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The runner's view of its {@link OffsetSource}: every call retried with exponential backoff on an I/O failure
 * ({@link SourceException} or any other runtime exception), {@code sourceRetryAttempts} in a row at most, then
 * {@link RetriesExhaustedException}. A {@link RelayException} that is not a source failure (the source's own
 * verdict, e.g. a lock held by another relay) is not retried. Waits end early on {@code close()}.
 *
 * <p>Runner thread only.
 */
public final class RetryingSource {
    private static final Duration INITIAL_DELAY = Duration.ofMillis(50);

    private final String channel;
    private final OffsetSource source;
    private final int attempts;
    private final Backoff backoff;
    private final RunnerSignal signal;

    /** Calls {@code source} for {@code channel}, at most {@code attempts} times per operation. */
    public RetryingSource(String channel, OffsetSource source, int attempts, Duration maxDelay, RunnerSignal signal) {
        this.channel = channel;
        this.source = source;
        this.attempts = attempts;
        this.backoff = Backoff.exponential(INITIAL_DELAY, maxDelay);
        this.signal = signal;
    }

    /** Up to {@code max} records after {@code afterOffset}. */
    public List<SourceRecord> getData(long afterOffset, int max) {
        return withRetry("source read", () -> source.getData(afterOffset, max));
    }

    /** Deletes the records up to {@code upToOffset}, which must be committed (the caller's duty, invariant 2). */
    public void deleteData(long upToOffset) {
        withRetry("source delete", () -> {
            source.deleteData(upToOffset);
            return null;
        });
    }

    /** The highest offset the source ever issued, if it can tell (invariant 6). */
    public OptionalLong highestIssuedOffset() {
        return withRetry("source highestIssuedOffset", source::highestIssuedOffset);
    }

    /** The source's description, for messages. */
    public String describe() {
        return source.describe();
    }

    private <T> T withRetry(String operation, Supplier<T> call) {
        int failures = 0;
        while (true) {
            try {
                return call.get();
            } catch (RelayException e) {
                if (!(e instanceof SourceException)) {
                    throw e;
                }
                failures = retryOrGiveUp(operation, failures, e);
            } catch (RuntimeException e) {
                failures = retryOrGiveUp(operation, failures, e);
            }
        }
    }

    private int retryOrGiveUp(String operation, int failures, RuntimeException e) {
        int n = failures + 1;
        if (n >= attempts) {
            throw new RetriesExhaustedException(channel, operation + " of " + source.describe(), n,
                    "Check the source; nothing unconfirmed was deleted.", e);
        }
        RunnerLog.LOG.warn("{} - {} failed ({} of {}): {}", channel, operation, n, attempts, e.toString());
        signal.waitUnlessStopped(backoff.delay(n));
        signal.throwIfStopRequested();
        return n;
    }
}
