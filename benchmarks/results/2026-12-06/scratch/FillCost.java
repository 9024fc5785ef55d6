import io.snowpiperelay.sqlite.*;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.benchmarks.Workload;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;

/** FILL without the SDK: getData(after, 2000) + RowConverter per record, on one thread; thread CPU per row. */
public class FillCost {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Workload w = Workload.valueOf(a[0]); int n = Integer.parseInt(a[1]);
    Path file = Path.of("/tmp/i17/scratch/fill-" + a[0] + ".db");
    for (String sfx : new String[]{"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + sfx));
    try (SqliteOutbox outbox = SqliteOutbox.open(file)) {
      for (int i = 0; i < n; i += 10_000) outbox.appendAll("bench", w.payloads(i, i + 10_000));
      try (SqliteOffsetSource source = outbox.openSource("bench")) {
        RowConverter conv = new RowConverter(16 * 1024 * 1024);
        RowConverter.Result out = new RowConverter.Result();
        for (int rep = 0; rep < 10; rep++) {
          long c0 = tm.getCurrentThreadCpuTime(), after = 0, rows = 0, readNs = 0, bytes = 0;
          while (true) {
            long r0 = tm.getCurrentThreadCpuTime();
            List<SourceRecord> batch = source.getData(after, 2000);
            readNs += tm.getCurrentThreadCpuTime() - r0;
            if (batch.isEmpty()) break;
            for (SourceRecord r : batch) { if (!conv.convert(r, out)) throw new IllegalStateException(out.failure); bytes += out.bytes; }
            after = batch.get(batch.size() - 1).offset(); rows += batch.size();
          }
          long total = tm.getCurrentThreadCpuTime() - c0;
          System.out.printf("%s rep %d: getData %.3f + convert %.3f = %.3f us/row cpu (%d rows)%n", a[0], rep, readNs / 1000.0 / rows, (total - readNs) / 1000.0 / rows, total / 1000.0 / rows, rows);
        }
      }
    }
  }
}
