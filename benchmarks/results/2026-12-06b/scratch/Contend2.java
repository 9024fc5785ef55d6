import io.snowpiperelay.sqlite.*;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.benchmarks.Workload;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

/** Four relay sources over four streams of one packed outbox: read 2,000-row pages, delete every 5 pages. */
public class Contend2 {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Workload w = Workload.valueOf(a[0]); int per = Integer.parseInt(a[1]); boolean gate = a[2].equals("gate");
    Path file = Path.of("/tmp/fc/c2.db");
    for (String sfx : new String[]{"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + sfx));
    ReentrantLock lock = new ReentrantLock(true);
    try (SqliteOutbox outbox = SqliteOutbox.open(file)) {
      for (int t = 0; t < 4; t++) for (int i = 0; i < per; i += 10_000) outbox.appendAll("s" + t, w.payloads(i, i + 10_000));
      AtomicLong delWall = new AtomicLong(), readWall = new AtomicLong(), cpu = new AtomicLong();
      ExecutorService ex = Executors.newFixedThreadPool(4);
      long w0 = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) { int tt = t; fs.add(ex.submit(() -> {
        try (SqliteOffsetSource src = outbox.openSource("s" + tt)) {
          long c0 = tm.getCurrentThreadCpuTime(); long after = 0; int pages = 0;
          while (true) {
            long r0 = System.nanoTime();
            List<SourceRecord> b = src.getData(after, 2000);
            readWall.addAndGet(System.nanoTime() - r0);
            if (b.isEmpty()) break;
            after = b.get(b.size() - 1).offset();
            if (++pages % 5 == 0 || b.size() < 2000) {
              long d0 = System.nanoTime();
              if (gate) lock.lock();
              try { src.deleteData(after); } finally { if (gate) lock.unlock(); }
              delWall.addAndGet(System.nanoTime() - d0);
            }
          }
          cpu.addAndGet(tm.getCurrentThreadCpuTime() - c0);
        }
        return null;
      })); }
      for (Future<?> f : fs) f.get();
      long wall = System.nanoTime() - w0; ex.shutdown();
      long rows = 4L * per;
      System.out.printf("%s %s: %.0f rows/s, cpu %.3f us/row, delete wall %.3f us/row (summed over threads), read wall %.3f%n", a[0], a[2], rows * 1e9 / wall, cpu.get() / 1000.0 / rows, delWall.get() / 1000.0 / rows, readWall.get() / 1000.0 / rows);
    }
  }
}
