package io.snowpiperelay.benchmarks;

import io.snowpiperelay.internal.RawJsonRow;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pre-built rows for the {@code sdk-ceiling} modes and the append benchmarks: the workload's payloads converted
 * once by core's {@link RowConverter} and cut into batches the way the relay cuts them (at most
 * {@code batchRows} rows and {@code batchBytes} JSON bytes per {@code appendRows} call). The rows are what the
 * relay hands the SDK ({@link RawJsonRow}s for these payloads), or, with {@code plainMaps}, ordinary maps as an
 * SDK user would build them. Immutable after construction; the rows must not be modified by users (the SDK only
 * reads them).
 */
final class RowPool {

    private final List<List<Map<String, Object>>> batches = new ArrayList<>();
    private final List<Long> batchBytes = new ArrayList<>();
    private final long rowCount;

    RowPool(Workload workload, int poolRows, int maxBatchRows, int maxBatchBytes, boolean plainMaps) {
        RowConverter converter = new RowConverter(Integer.MAX_VALUE);
        RowConverter.Result result = new RowConverter.Result();
        List<Map<String, Object>> batch = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < poolRows; i++) {
            if (!converter.convert(SourceRecord.ofJson(i + 1, workload.payload(i)), result)) {
                throw new IllegalStateException("benchmark payload " + i + " does not convert: " + result.failure);
            }
            if (!batch.isEmpty() && (batch.size() >= maxBatchRows || bytes + result.bytes > maxBatchBytes)) {
                add(batch, bytes);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(plainMaps && result.row instanceof RawJsonRow raw ? raw.toPlainMap() : result.row);
            bytes += result.bytes;
        }
        if (!batch.isEmpty()) {
            add(batch, bytes);
        }
        this.rowCount = poolRows;
    }

    private void add(List<Map<String, Object>> batch, long bytes) {
        batches.add(List.copyOf(batch));
        batchBytes.add(bytes);
    }

    int batchCount() {
        return batches.size();
    }

    /** Batch {@code i} modulo the pool size. */
    List<Map<String, Object>> batch(long i) {
        return batches.get((int) (i % batches.size()));
    }

    /** JSON bytes of batch {@code i} modulo the pool size. */
    long bytesOf(long i) {
        return batchBytes.get((int) (i % batches.size()));
    }

    long rowCount() {
        return rowCount;
    }
}
