package io.snowpiperelay;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.List;

/** A broken source that returns the same records, as given, for every read after the first offset. */
final class InMemorySourceWithRawBatch implements OffsetSource {
    private final List<SourceRecord> batch;

    InMemorySourceWithRawBatch(SourceRecord... records) {
        this.batch = List.of(records);
    }

    @Override
    public List<SourceRecord> getData(long afterOffset, int maxRows) {
        return batch.subList(0, Math.min(maxRows, batch.size()));
    }

    @Override
    public void deleteData(long upToOffsetInclusive) {
    }

    @Override
    public String describe() {
        return "broken test source";
    }
}
