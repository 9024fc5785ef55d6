package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.RelayListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Records a runner's events for assertions. Thread-safe. */
public final class RecordingListener implements RelayListener {
    /** One {@code rowErrors} event. */
    public record RowErrors(long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
    }

    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger reopened = new AtomicInteger();
    public final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    public final List<RowErrors> rowErrors = new CopyOnWriteArrayList<>();
    public final AtomicReference<Throwable> fatal = new AtomicReference<>();
    public final AtomicInteger fatalCalls = new AtomicInteger();
    /** "url: cause" of each serviceUnreachable event. */
    public final List<String> unreachable = new CopyOnWriteArrayList<>();

    @Override
    public void serviceUnreachable(String channel, String url, String cause, java.time.Instant since) {
        unreachable.add(url + ": " + cause);
    }

    @Override
    public void opened(String channel, long committedOffset) {
        opened.incrementAndGet();
    }

    @Override
    public void reopened(String channel, long resumeAfterOffset, Throwable cause) {
        reopened.incrementAndGet();
    }

    @Override
    public void rowErrors(String channel, long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
        rowErrors.add(new RowErrors(newErrors, lastErrorOffsetUpperBound, lastErrorMessage));
    }

    @Override
    public void deadLettered(String channel, DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    @Override
    public void fatal(String channel, Throwable error) {
        fatal.set(error);
        fatalCalls.incrementAndGet();
    }
}
