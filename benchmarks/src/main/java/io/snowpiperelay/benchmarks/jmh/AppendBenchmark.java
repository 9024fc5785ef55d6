package io.snowpiperelay.benchmarks.jmh;

import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.internal.RawJsonRow;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The append step against the real SDK and the emulator (in the benchmark's JVM, request recording off), one
 * channel, one thread:
 * <ul>
 *   <li>{@code appendRows}: one {@code appendRows} call per pre-built batch of {@code batchSize} rows;</li>
 *   <li>{@code appendRowEach}: the same rows through one {@code appendRow} call each (the naive way);</li>
 *   <li>{@code fillAndAppend}: the runner's FILL and APPEND: {@code getData(after, batchSize)} from the SQLite
 *       outbox, core's {@link RowConverter}, chunks within {@link RunnerConfig#DEFAULT_MAX_APPEND_ROWS} rows and
 *       {@link RunnerConfig#DEFAULT_MAX_APPEND_BYTES} bytes, {@code appendRows} per chunk.</li>
 * </ul>
 * Score: batches per second; {@code <benchmark>:rows} is rows per second. The SDK's flushing, compression and HTTP,
 * and the emulator, run on the other threads of the same two cores and slow the appending thread down as they
 * would in production; each iteration ends by waiting for the flush and emptying the table (not measured).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx2g"})
public class AppendBenchmark {

    private static final int OUTBOX_ROWS = 100_000;

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    @Param({"100", "500", "2000"})
    public int batchSize;

    /**
     * The pre-built rows of {@code appendRows} and {@code appendRowEach}: {@code raw}, what core's converter makes
     * of these payloads (rows the SDK writes as their own JSON bytes), or {@code maps}, ordinary maps as an SDK
     * user builds them (the SDK serialises each). {@code fillAndAppend} always converts as the relay does.
     */
    @Param({"raw", "maps"})
    public String rowForm;

    private Path dir;
    private SnowpipeEmulator emulator;
    private SnowflakeStreamingIngestClient client;
    private SnowflakeStreamingIngestChannel channel;
    private SqliteOutbox outbox;
    private SqliteOffsetSource source;
    private final List<List<Map<String, Object>>> batches = new ArrayList<>();
    private final RowConverter converter = new RowConverter(RunnerConfig.DEFAULT_MAX_ROW_BYTES);
    private final RowConverter.Result conversion = new RowConverter.Result();
    private long token;
    private long after;
    private long lastOffset;
    private int nextBatch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jmh-append");
        emulator = SnowpipeEmulator.builder().sql(workload.setupSql()).recordRequests(false).start();
        client = SnowflakeStreamingIngestClientFactory
                .builder("jmh-append", Workload.DATABASE, Workload.SCHEMA, workload.pipe())
                .setProperties(emulator.clientProperties())
                .build();
        channel = client.openChannel("jmh-append-" + workload + "-" + batchSize, null).getChannel();
        for (int b = 0; b < 8; b++) {
            List<Map<String, Object>> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                long index = (long) b * batchSize + i;
                if (!converter.convert(SourceRecord.ofJson(index + 1, workload.payload(index)), conversion)) {
                    throw new IllegalStateException(conversion.failure);
                }
                batch.add("maps".equals(rowForm) && conversion.row instanceof RawJsonRow raw
                        ? raw.toPlainMap() : conversion.row);
            }
            batches.add(List.copyOf(batch));
        }
        outbox = SqliteOutbox.open(dir.resolve("outbox.db"));
        for (int i = 0; i < OUTBOX_ROWS; i += 10_000) {
            long[] offsets = outbox.appendAll("bench", workload.payloads(i, i + 10_000));
            lastOffset = offsets[offsets.length - 1];
        }
        source = outbox.openSource("bench");
    }

    @TearDown(Level.Iteration)
    public void drainIteration() throws Exception {
        channel.waitForFlush(Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        emulator.query("DELETE FROM \"" + workload.table() + "\"");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        client.close();
        source.close();
        outbox.close();
        emulator.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void appendRows(RowCounter counter) {
        List<Map<String, Object>> batch = batches.get(nextBatch);
        nextBatch = (nextBatch + 1) & 7;
        long first = token + 1;
        token += batch.size();
        appendWithBackpressure(batch, first, token);
        counter.rows += batch.size();
    }

    @Benchmark
    public void appendRowEach(RowCounter counter) {
        List<Map<String, Object>> batch = batches.get(nextBatch);
        nextBatch = (nextBatch + 1) & 7;
        for (Map<String, Object> row : batch) {
            channel.appendRow(row, Long.toString(++token));
        }
        counter.rows += batch.size();
    }

    @Benchmark
    public void fillAndAppend(RowCounter counter) {
        List<SourceRecord> records = source.getData(after, batchSize);
        if (records.isEmpty()) {
            after = 0;
            return;
        }
        long last = records.get(records.size() - 1).offset();
        after = last >= lastOffset ? 0 : last;
        List<Map<String, Object>> chunk = new ArrayList<>(RunnerConfig.DEFAULT_MAX_APPEND_ROWS);
        long chunkBytes = 0;
        for (SourceRecord record : records) {
            if (!converter.convert(record, conversion)) {
                throw new IllegalStateException(conversion.failure);
            }
            if (!chunk.isEmpty() && (chunk.size() >= RunnerConfig.DEFAULT_MAX_APPEND_ROWS
                    || chunkBytes + conversion.bytes > RunnerConfig.DEFAULT_MAX_APPEND_BYTES)) {
                appendChunk(chunk);
                chunk = new ArrayList<>(RunnerConfig.DEFAULT_MAX_APPEND_ROWS);
                chunkBytes = 0;
            }
            chunk.add(conversion.row);
            chunkBytes += conversion.bytes;
        }
        appendChunk(chunk);
        counter.rows += records.size();
    }

    private void appendChunk(List<Map<String, Object>> chunk) {
        long first = token + 1;
        token += chunk.size();
        appendWithBackpressure(chunk, first, token);
    }

    private void appendWithBackpressure(List<Map<String, Object>> rows, long first, long last) {
        while (true) {
            try {
                channel.appendRows(rows, Long.toString(first), Long.toString(last));
                return;
            } catch (SFException e) {
                if (!"ReceiverSaturated".equals(e.getErrorCodeName())) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }
}
