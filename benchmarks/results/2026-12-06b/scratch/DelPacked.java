import io.snowpiperelay.sqlite.*;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.benchmarks.Workload;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;

public class DelPacked {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Workload w = Workload.valueOf(a[0]); int n = Integer.parseInt(a[1]); int pack = Integer.parseInt(a[2]); int every = Integer.parseInt(a[3]);
    for (int rep = 0; rep < 4; rep++) {
      Path file = Path.of("/tmp/fc/dp.db");
      for (String sfx : new String[]{"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + sfx));
      try (SqliteOutbox outbox = SqliteOutbox.open(file, OutboxConfig.builder().packRows(pack).build())) {
        for (int i = 0; i < n; i += 10_000) outbox.appendAll("s", w.payloads(i, i + 10_000));
        try (SqliteOffsetSource src = outbox.openSource("s")) {
          long read = 0, del = 0, after = 0; int pages = 0; long w0 = System.nanoTime(), delWall = 0;
          while (true) {
            long c0 = tm.getCurrentThreadCpuTime();
            List<SourceRecord> b = src.getData(after, 2000);
            long c1 = tm.getCurrentThreadCpuTime(); read += c1 - c0;
            if (b.isEmpty()) break;
            after = b.get(b.size() - 1).offset();
            if (++pages % every == 0 || b.size() < 2000) { long d0 = System.nanoTime(); src.deleteData(after); delWall += System.nanoTime() - d0; del += tm.getCurrentThreadCpuTime() - c1; }
          }
          System.out.printf("%s pack %d delete every %d pages: read %.3f, delete %.3f us/row cpu, delete wall %.3f%n", a[0], pack, every, read / 1000.0 / n, del / 1000.0 / n, delWall / 1000.0 / n);
        }
      }
    }
  }
}
