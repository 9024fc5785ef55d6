import java.lang.management.*;
import java.sql.*;
import java.util.*;

public class CkptCost {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    int n = Integer.parseInt(a[0]); String file = a[1]; int auto = Integer.parseInt(a[2]);
    for (String sfx : new String[]{"", "-wal", "-shm"}) new java.io.File(file + sfx).delete();
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) { s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=NORMAL");
      s.execute("CREATE TABLE t (\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)"); }
    DelCost.fill(c, "t", n, new Random(1));
    try (Statement s = c.createStatement()) { s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); s.execute("PRAGMA wal_autocheckpoint=" + auto); }
    PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE \"offset\" <= ?");
    long c0 = tm.getCurrentThreadCpuTime(), w0 = System.nanoTime();
    for (long up = 2000; up <= n; up += 2000) { del.setLong(1, up); del.executeUpdate(); }
    System.out.printf("wal_autocheckpoint=%d: delete %.3f us/row cpu, %.3f us/row wall%n", auto, (tm.getCurrentThreadCpuTime() - c0) / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
    c0 = tm.getCurrentThreadCpuTime(); w0 = System.nanoTime();
    try (Statement s = c.createStatement()) { s.execute("PRAGMA wal_checkpoint(PASSIVE)"); }
    System.out.printf("  then one checkpoint: %.3f us/row cpu, %.3f us/row wall%n", (tm.getCurrentThreadCpuTime() - c0) / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
  }
}
