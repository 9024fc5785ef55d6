package io.snowpiperelay.benchmarks.jmh;

import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Reading a batch from the SQLite outbox: {@code SqliteOffsetSource.getData(after, batchSize)} over a filled
 * stream, walking forward and wrapping around. Score: batches per second; {@code getData:rows} is rows per
 * second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class SqliteReadBenchmark {

    private static final int STREAM_ROWS = 200_000;

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    @Param({"500", "2000", "10000"})
    public int batchSize;

    private Path dir;
    private SqliteOutbox outbox;
    private SqliteOffsetSource source;
    private long lastOffset;
    private long after;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("jmh-sqlite-read");
        outbox = SqliteOutbox.open(dir.resolve("outbox.db"));
        for (int i = 0; i < STREAM_ROWS; i += 10_000) {
            long[] offsets = outbox.appendAll("bench", workload.payloads(i, i + 10_000));
            lastOffset = offsets[offsets.length - 1];
        }
        source = outbox.openSource("bench");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        source.close();
        outbox.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public List<SourceRecord> getData(RowCounter counter) {
        List<SourceRecord> batch = source.getData(after, batchSize);
        counter.rows += batch.size();
        after = batch.isEmpty() || batch.get(batch.size() - 1).offset() >= lastOffset ? 0
                : batch.get(batch.size() - 1).offset();
        return batch;
    }
}
