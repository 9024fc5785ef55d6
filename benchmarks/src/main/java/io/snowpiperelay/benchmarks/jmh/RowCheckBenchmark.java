package io.snowpiperelay.benchmarks.jmh;

import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.testkit.catalog.Catalog;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.types.RowChecker;
import io.snowpiperelay.types.RowRejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

/**
 * The cost of the pre-send row check in the runner's FILL step: per row, core's {@link RowConverter} alone (what FILL
 * does without a check), the {@link RowChecker} alone on the same UTF-8 bytes, and both (what FILL does with a
 * check). The rows are the workload's outbox payloads, all good (the hot path); the columns are the workload's table
 * as its setup SQL creates it. Scores are nanoseconds per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class RowCheckBenchmark {

    private static final int ROWS = 4096;

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    private final List<SourceRecord> records = new ArrayList<>();
    private final RowConverter converter = new RowConverter(1 << 20);
    private final RowConverter.Result result = new RowConverter.Result();
    private RowChecker checker;
    private int next;

    @Setup
    public void setUp() {
        Catalog catalog = new Catalog();
        catalog.execute(workload.setupSql());
        TableDef table = catalog.table(Workload.DATABASE, Workload.SCHEMA, workload.table()).orElseThrow();
        checker = RowChecker.of(table.name(), table.columns());
        for (int i = 0; i < ROWS; i++) {
            SourceRecord record = SourceRecord.ofJsonUtf8(i + 1, workload.payload(i).getBytes(StandardCharsets.UTF_8));
            byte[] utf8 = record.jsonUtf8();
            Optional<RowRejection> rejected = checker.check(utf8, 0, utf8.length);
            if (rejected.isPresent()) {
                throw new IllegalStateException("a workload row is rejected: " + rejected.get().reason());
            }
            records.add(record);
        }
    }

    private SourceRecord nextRecord() {
        SourceRecord record = records.get(next);
        next = (next + 1) & (ROWS - 1);
        return record;
    }

    /** FILL without a check: UTF-8 record to raw row. */
    @Benchmark
    public Object convert() {
        if (!converter.convert(nextRecord(), result)) {
            throw new IllegalStateException(result.failure);
        }
        return result.row;
    }

    /** The check alone, on the record's bytes. */
    @Benchmark
    public Object check() {
        byte[] utf8 = nextRecord().jsonUtf8();
        return checker.check(utf8, 0, utf8.length);
    }

    /** FILL with a check: convert, then check the same bytes (as {@code BatchFiller} does). */
    @Benchmark
    public Object convertAndCheck() {
        if (!converter.convert(nextRecord(), result)) {
            throw new IllegalStateException(result.failure);
        }
        return checker.check(result.utf8, 0, result.utf8.length);
    }
}
