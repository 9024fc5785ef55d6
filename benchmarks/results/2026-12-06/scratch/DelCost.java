import java.lang.management.*;
import java.sql.*;
import java.util.*;

public class DelCost {
  static ThreadMXBean tm = ManagementFactory.getThreadMXBean();
  static long cpu() { return tm.getCurrentThreadCpuTime(); }
  static String payload(Random r) { return "{\"RIDE_ID\":\"" + UUID.randomUUID() + "\",\"RESORT\":\"Zermatt\",\"LIFT\":\"lift-" + r.nextInt(40) + "\",\"SKIER_ID\":\"skier-" + r.nextInt(100000) + "\",\"RIDE_TIME\":\"2026-12-06T06:30:00." + r.nextInt(1000) + "Z\",\"ELEVATION_GAIN_M\":" + r.nextInt(900) + ",\"WAIT_SECONDS\":" + r.nextInt(600) + "}"; }
  static void fill(Connection c, String table, int n, Random r) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (payload, created_at_ms) VALUES (?, ?)")) {
      for (int i = 0; i < n; i++) { ins.setString(1, payload(r)); ins.setLong(2, 1L); ins.addBatch(); if (i % 10000 == 9999) ins.executeBatch(); }
      ins.executeBatch();
    }
    c.commit(); c.setAutoCommit(true);
  }
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]); String file = a[1]; String mmap = a.length > 2 ? a[2] : "0";
    for (String sfx : new String[]{"", "-wal", "-shm"}) new java.io.File(file + sfx).delete();
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=NORMAL"); s.execute("PRAGMA mmap_size=" + mmap);
      s.execute("CREATE TABLE t (\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)");
    }
    Random r = new Random(1);
    fill(c, "t", n, r);
    // read cost with this mmap setting
    PreparedStatement sel = c.prepareStatement("SELECT \"offset\", payload FROM t WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?");
    for (int rep = 0; rep < 3; rep++) {
      long t0 = cpu(); long after = 0, rows = 0;
      while (true) { sel.setLong(1, after); sel.setInt(2, 2000); int got = 0;
        try (ResultSet rs = sel.executeQuery()) { while (rs.next()) { after = rs.getLong(1); rs.getBytes(2); got++; } }
        if (got == 0) break; rows += got; }
      System.out.printf("mmap=%s read %.3f us/row%n", mmap, (cpu() - t0) / 1000.0 / rows);
    }
    PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE \"offset\" <= ?");
    long t0 = cpu(); long w0 = System.nanoTime();
    for (long up = 2000; up <= n; up += 2000) { del.setLong(1, up); del.executeUpdate(); }
    System.out.printf("range delete (2000-row txns): %.3f us/row cpu, %.3f wall%n", (cpu() - t0) / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
    // segments: 10 tables of n/10 rows each, dropped whole
    int segs = 10; int per = n / segs;
    try (Statement s = c.createStatement()) { for (int i = 0; i < segs; i++) s.execute("CREATE TABLE seg" + i + " (\"offset\" INTEGER PRIMARY KEY, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)"); }
    for (int i = 0; i < segs; i++) fill(c, "seg" + i, per, r);
    t0 = cpu(); w0 = System.nanoTime();
    try (Statement s = c.createStatement()) { for (int i = 0; i < segs; i++) s.execute("DROP TABLE seg" + i); }
    System.out.printf("drop segment tables of %d rows: %.3f us/row cpu, %.3f wall%n", per, (cpu() - t0) / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
    for (int i = 0; i < segs; i++) { try (Statement s = c.createStatement()) { s.execute("CREATE TABLE seg" + i + " (\"offset\" INTEGER PRIMARY KEY, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)"); } fill(c, "seg" + i, per, r); }
    t0 = cpu(); w0 = System.nanoTime();
    try (Statement s = c.createStatement()) { for (int i = 0; i < segs; i++) s.execute("DELETE FROM seg" + i); }
    System.out.printf("DELETE without WHERE (truncate) of %d rows: %.3f us/row cpu, %.3f wall%n", per, (cpu() - t0) / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
    long tc = cpu(); w0 = System.nanoTime();
    try (Statement s = c.createStatement()) { s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); }
    System.out.printf("checkpoint: %.3f ms cpu%n", (cpu() - tc) / 1e6);
  }
}
