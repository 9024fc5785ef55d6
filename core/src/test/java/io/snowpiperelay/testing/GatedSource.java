package io.snowpiperelay.testing;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A source that delegates to another and can hold its reader: after {@link #close()} the next {@code getData}
 * waits until {@link #open()}, so a test can look at the runner between two reads. Thread-safe.
 */
public final class GatedSource implements OffsetSource {
    private static final long MAX_HOLD_SECONDS = 60;

    private final OffsetSource delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch held = new CountDownLatch(1);

    public GatedSource(OffsetSource delegate) {
        this.delegate = delegate;
    }

    /** Holds the next reads until {@link #open()}. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    /** Lets reads through again. */
    public void open() {
        gate.countDown();
    }

    /** Waits until a read is held at the gate. */
    public boolean awaitHeldReader(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        CountDownLatch g = gate;
        if (g.getCount() > 0) {
            held.countDown();
            try {
                if (!g.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
        }
        return delegate.getData(afterOffset, maxRows);
    }

    @Override
    public void deleteData(long upToOffsetInclusive) {
        delegate.deleteData(upToOffsetInclusive);
    }

    @Override
    public OptionalLong highestIssuedOffset() {
        return delegate.highestIssuedOffset();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
