import java.lang.management.*;
import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.concurrent.locks.*;

public class Contend {
  static ThreadMXBean tm = ManagementFactory.getThreadMXBean();
  public static void main(String[] a) throws Exception {
    int per = Integer.parseInt(a[0]); String file = a[1]; boolean gate = a[2].equals("gate"); int threads = 4;
    for (String sfx : new String[]{"", "-wal", "-shm"}) new java.io.File(file + sfx).delete();
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) { s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=NORMAL");
      for (int t = 0; t < threads; t++) s.execute("CREATE TABLE t" + t + " (\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)"); }
    Random r = new Random(1);
    for (int t = 0; t < threads; t++) DelCost.fill(c, "t" + t, per, r);
    c.close();
    ReentrantLock lock = new ReentrantLock(true);
    AtomicLong delWall = new AtomicLong(), readWall = new AtomicLong(), cpuAll = new AtomicLong();
    ExecutorService ex = Executors.newFixedThreadPool(threads);
    long w0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) { final int tt = t; fs.add(ex.submit(() -> {
      try (Connection cc = DriverManager.getConnection("jdbc:sqlite:" + file)) {
        try (Statement s = cc.createStatement()) { s.execute("PRAGMA synchronous=NORMAL"); s.execute("PRAGMA busy_timeout=30000"); s.execute("PRAGMA cache_size=-8192"); }
        PreparedStatement sel = cc.prepareStatement("SELECT \"offset\", payload FROM t" + tt + " WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?");
        PreparedStatement del = cc.prepareStatement("DELETE FROM t" + tt + " WHERE \"offset\" <= ?");
        long c0 = tm.getCurrentThreadCpuTime(); long after = 0; int batches = 0;
        while (true) {
          long r0 = System.nanoTime(); int got = 0;
          sel.setLong(1, after); sel.setInt(2, 2000);
          try (ResultSet rs = sel.executeQuery()) { while (rs.next()) { after = rs.getLong(1); rs.getBytes(2); got++; } }
          readWall.addAndGet(System.nanoTime() - r0);
          if (got == 0) break;
          if (++batches % 5 == 0 || got < 2000) {
            long d0 = System.nanoTime();
            if (gate) lock.lock();
            try { del.setLong(1, after); del.executeUpdate(); } finally { if (gate) lock.unlock(); }
            delWall.addAndGet(System.nanoTime() - d0);
          }
        }
        cpuAll.addAndGet(tm.getCurrentThreadCpuTime() - c0);
      } catch (Exception e) { throw new RuntimeException(e); }
    })); }
    for (Future<?> f : fs) f.get();
    long wall = System.nanoTime() - w0; ex.shutdown();
    long rows = (long) per * threads;
    System.out.printf("%s: %.0f rows/s wall, cpu %.3f us/row, delete wall %.3f us/row (thread-summed), read wall %.3f us/row%n", a[2], rows * 1e9 / wall, cpuAll.get() / 1000.0 / rows, delWall.get() / 1000.0 / rows, readWall.get() / 1000.0 / rows);
  }
}
