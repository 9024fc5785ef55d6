package io.snowpiperelay.benchmarks.jmh;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import java.io.IOException;
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

/**
 * JSON payload to SDK row: core's {@link RowConverter} (Jackson's streaming parser, BigDecimal for decimals, size
 * cap), from UTF-8 bytes as the SQLite outbox hands them over and from a {@code String}, against the plain
 * {@code ObjectMapper.readValue(json, Map)} a user would write. Scores are rows per second (one operation = one
 * row).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class ConversionBenchmark {

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    private final List<SourceRecord> records = new ArrayList<>();
    private final List<SourceRecord> utf8Records = new ArrayList<>();
    private final RowConverter converter = new RowConverter(1 << 20);
    private final RowConverter.Result result = new RowConverter.Result();
    private final ObjectMapper mapper = new ObjectMapper();
    private int next;

    @Setup
    public void setUp() {
        for (int i = 0; i < 4096; i++) {
            records.add(SourceRecord.ofJson(i + 1, workload.payload(i)));
            utf8Records.add(SourceRecord.ofJsonUtf8(i + 1, workload.payload(i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private SourceRecord nextRecord() {
        SourceRecord record = records.get(next);
        next = (next + 1) & 4095;
        return record;
    }

    private SourceRecord nextUtf8Record() {
        SourceRecord record = utf8Records.get(next);
        next = (next + 1) & 4095;
        return record;
    }

    /** Core's converter, as the runner's FILL step calls it for the SQLite outbox's records (UTF-8 bytes). */
    @Benchmark
    public Object coreRowConverterUtf8() {
        if (!converter.convert(nextUtf8Record(), result)) {
            throw new IllegalStateException(result.failure);
        }
        return result.row;
    }

    /** Core's converter for records that carry a {@code String} (custom sources). */
    @Benchmark
    public Object coreRowConverter() {
        if (!converter.convert(nextRecord(), result)) {
            throw new IllegalStateException(result.failure);
        }
        return result.row;
    }

    /** What the naive loop does: a plain ObjectMapper per row. */
    @Benchmark
    public Object plainObjectMapper() throws IOException {
        return mapper.readValue(nextRecord().json(), ROW);
    }
}
