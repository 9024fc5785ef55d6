import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.benchmarks.Workload;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;

public class AppendCost {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Workload w = Workload.valueOf(a[0]); int n = Integer.parseInt(a[1]);
    for (int rep = 0; rep < 3; rep++) {
      Path file = Path.of("/tmp/i17/scratch/append-" + rep + ".db");
      for (String sfx : new String[]{"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + sfx));
      try (SqliteOutbox outbox = SqliteOutbox.open(file)) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < n; i += 10_000) batches.add(w.payloads(i, i + 10_000));
        long c0 = tm.getCurrentThreadCpuTime();
        for (List<String> b : batches) outbox.appendAll("bench", b);
        System.out.printf("%s appendAll: %.3f us/row cpu (caller thread)%n", a[0], (tm.getCurrentThreadCpuTime() - c0) / 1000.0 / n);
      }
    }
  }
}
