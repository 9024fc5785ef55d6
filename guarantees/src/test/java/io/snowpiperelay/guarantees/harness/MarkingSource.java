package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * An {@link OffsetSource} that prints {@code DELETING <channel> <upTo>} before and {@code DELETED <channel> <upTo>}
 * after each delete of the source it wraps, so a harness watching the relay's stdout can kill the process in the
 * middle of a delete. Reads pass straight through: the hot path prints nothing.
 */
final class MarkingSource implements OffsetSource {
    private final OffsetSource delegate;
    private final String channel;
    private final PrintStream out;

    MarkingSource(OffsetSource delegate, String channel, PrintStream out) {
        this.delegate = delegate;
        this.channel = channel;
        this.out = out;
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        return delegate.getData(afterOffset, maxRows);
    }

    @Override
    public void deleteData(long upToOffsetInclusive) {
        out.println(Markers.DELETING + " " + channel + " " + upToOffsetInclusive);
        delegate.deleteData(upToOffsetInclusive);
        out.println(Markers.DELETED + " " + channel + " " + upToOffsetInclusive);
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
