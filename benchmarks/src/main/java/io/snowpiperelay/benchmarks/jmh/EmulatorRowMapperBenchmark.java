package io.snowpiperelay.benchmarks.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.benchmarks.Workload;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.testkit.catalog.Catalog;
import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.testkit.internal.Store;
import io.snowpiperelay.testkit.internal.TableSpec;
import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.MappedRow;
import io.snowpiperelay.types.RowMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The emulator's two per-row costs apart from HTTP: converting an NDJSON row as the SDK sends it
 * ({@link RowMapper#map}) and writing converted rows into its SQLite store ({@link Store#commit}, in batches of
 * {@value #BATCH} rows as a commit of one append request would). Scores are nanoseconds per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx1g"})
public class EmulatorRowMapperBenchmark {

    static final int BATCH = 2000;
    private static final int ROWS = 4096;

    @Param({"LIFT_RIDE", "RESORT_TICKET"})
    public Workload workload;

    private final List<byte[]> lines = new ArrayList<>();
    private final List<Object[]> mapped = new ArrayList<>();
    private RowMapper mapper;
    private Store store;
    private String sqliteTable;
    private List<String> columns;
    private int next;

    @Setup
    public void setUp() throws IOException {
        // the NDJSON lines the SDK sends: core's converted row written by Jackson, as the ingest probe does
        RowConverter converter = new RowConverter(Integer.MAX_VALUE);
        RowConverter.Result result = new RowConverter.Result();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < ROWS; i++) {
            if (!converter.convert(SourceRecord.ofJson(i + 1, workload.payload(i)), result)) {
                throw new IllegalStateException(result.failure);
            }
            lines.add(json.writeValueAsBytes(result.row));
        }
        Catalog catalog = new Catalog();
        catalog.execute(workload.setupSql());
        PipeDef pipe = catalog.pipe(Workload.DATABASE, Workload.SCHEMA, workload.pipe()).orElseThrow();
        TableDef table = catalog.table(pipe.tableDatabase(), pipe.tableSchema(), '"' + pipe.table() + '"').orElseThrow();
        mapper = pipe.rowMapper(table);
        for (byte[] line : lines) {
            MappedRow row = mapper.map(line, 0, line.length);
            if (!(row instanceof MappedRow.Ok ok)) {
                throw new IllegalStateException("row rejected: " + row);
            }
            mapped.add(ok.values());
        }
        columns = table.columns().stream().map(Column::name).toList();
        store = Store.open(null);
        sqliteTable = store.createTable(new TableSpec(table.database(), table.schema(), table.name(), columns,
                table::sqliteCreateTable), true);
    }

    /** Keeps the in-memory table from growing across iterations. */
    @Setup(Level.Iteration)
    public void emptyTable() {
        store.query("DELETE FROM " + TableDef.sqliteQuote(sqliteTable));
    }

    @TearDown
    public void tearDown() {
        store.close();
    }

    /** One NDJSON row to column values (the flat-row fast path for both workloads). */
    @Benchmark
    public MappedRow mapRow() {
        byte[] line = lines.get(next);
        next = (next + 1) & (ROWS - 1);
        return mapper.map(line, 0, line.length);
    }

    /** {@value #BATCH} converted rows into SQLite in one transaction; the score is per row. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void storeRows() {
        int from = next;
        next = (next + BATCH) & (ROWS - 1);
        List<Object[]> rows = from + BATCH <= ROWS ? mapped.subList(from, from + BATCH) : mapped.subList(0, BATCH);
        store.commit(List.of(new Store.RowBatch(sqliteTable, columns, rows)), List.of());
    }
}
