package io.snowpiperelay.benchmarks.jmh;

import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The runner's FILL step without I/O: a batch of source records (as {@code getData} returns them) is converted by
 * core's {@link RowConverter} and cut into {@code appendRows} chunks of at most {@code maxAppendRows} rows and
 * {@code maxAppendBytes} JSON bytes (the same rule as the runner's defaults, {@link RunnerConfig}). Score: source
 * batches per second; {@code build:rows} is rows per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class BatchBuildBenchmark {

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    /** Rows per source read (the runner's maxBatchRows). */
    @Param({"500", "2000"})
    public int batchSize;

    /** JSON bytes per appendRows call (the runner's maxAppendBytes). */
    @Param({"32768", "131072"})
    public int maxAppendBytes;

    private final List<List<SourceRecord>> batches = new ArrayList<>();
    private final RowConverter converter = new RowConverter(RunnerConfig.DEFAULT_MAX_ROW_BYTES);
    private final RowConverter.Result result = new RowConverter.Result();
    private int next;

    @Setup
    public void setUp() {
        long offset = 1;
        for (int b = 0; b < 8; b++) {
            List<SourceRecord> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                // As the SQLite outbox hands them over: UTF-8 bytes.
                batch.add(SourceRecord.ofJsonUtf8(offset, workload.payload(offset).getBytes(StandardCharsets.UTF_8)));
                offset++;
            }
            batches.add(batch);
        }
    }

    @Benchmark
    public void build(Blackhole blackhole, RowCounter counter) {
        List<SourceRecord> batch = batches.get(next);
        next = (next + 1) & 7;
        int maxAppendRows = RunnerConfig.DEFAULT_MAX_APPEND_ROWS;
        List<Map<String, Object>> chunk = new ArrayList<>(maxAppendRows);
        long chunkBytes = 0;
        for (SourceRecord record : batch) {
            if (!converter.convert(record, result)) {
                throw new IllegalStateException(result.failure);
            }
            if (!chunk.isEmpty() && (chunk.size() >= maxAppendRows || chunkBytes + result.bytes > maxAppendBytes)) {
                blackhole.consume(chunk);
                chunk = new ArrayList<>(maxAppendRows);
                chunkBytes = 0;
            }
            chunk.add(result.row);
            chunkBytes += result.bytes;
        }
        blackhole.consume(chunk);
        counter.rows += batch.size();
    }
}
