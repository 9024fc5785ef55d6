import java.lang.management.*;
import java.sql.*;
import java.util.*;
import java.nio.charset.StandardCharsets;

public class ReadCost {
  static ThreadMXBean tm = ManagementFactory.getThreadMXBean();
  static long cpu() { return tm.getCurrentThreadCpuTime(); }
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    String file = a[1];
    new java.io.File(file).delete(); new java.io.File(file+"-wal").delete(); new java.io.File(file+"-shm").delete();
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=NORMAL");
      s.execute("CREATE TABLE t (\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)");
    }
    c.setAutoCommit(false);
    Random r = new Random(1);
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO t (payload, created_at_ms) VALUES (?, ?)")) {
      for (int i = 0; i < n; i++) {
        String p = "{\"RIDE_ID\":\"" + UUID.randomUUID() + "\",\"RESORT\":\"Zermatt\",\"LIFT\":\"lift-" + r.nextInt(40) + "\",\"SKIER_ID\":\"skier-" + r.nextInt(100000) + "\",\"RIDE_TIME\":\"2026-12-06T06:30:00." + r.nextInt(1000) + "Z\",\"ELEVATION_GAIN_M\":" + r.nextInt(900) + ",\"WAIT_SECONDS\":" + r.nextInt(600) + "}";
        ins.setString(1, p); ins.setLong(2, System.currentTimeMillis()); ins.addBatch();
        if (i % 10000 == 9999) ins.executeBatch();
      }
      ins.executeBatch();
    }
    c.commit(); c.setAutoCommit(true);
    int batch = 2000;
    for (int rep = 0; rep < 4; rep++) {
      // A: per-row read
      PreparedStatement sel = c.prepareStatement("SELECT \"offset\", payload FROM t WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?");
      long t0 = cpu(); long rows = 0; long after = 0; long sum = 0;
      while (true) {
        sel.setLong(1, after); sel.setInt(2, batch);
        List<Object[]> out = new ArrayList<>(batch);
        try (ResultSet rs = sel.executeQuery()) {
          while (rs.next()) { long o = rs.getLong(1); byte[] b = rs.getBytes(2); out.add(new Object[]{o, b}); after = o; sum += b.length; }
        }
        if (out.isEmpty()) break; rows += out.size();
      }
      long tA = cpu() - t0;
      // B: aggregate read, one blob per batch
      PreparedStatement agg = c.prepareStatement("SELECT count(*), min(\"offset\"), max(\"offset\"), group_concat(octet_length(payload)), CAST(group_concat(payload, '') AS BLOB) FROM (SELECT \"offset\", payload FROM t WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?)");
      t0 = cpu(); long rowsB = 0; after = 0; long sumB = 0;
      while (true) {
        agg.setLong(1, after); agg.setInt(2, batch);
        int cnt; long lo, hi; String lens; byte[] blob;
        try (ResultSet rs = agg.executeQuery()) { rs.next(); cnt = rs.getInt(1); lo = rs.getLong(2); hi = rs.getLong(3); lens = rs.getString(4); blob = rs.getBytes(5); }
        if (cnt == 0) break;
        List<Object[]> out = new ArrayList<>(cnt);
        int pos = 0, lp = 0; long off = lo;
        for (int i = 0; i < cnt; i++) {
          int len = 0; char ch;
          while (lp < lens.length() && (ch = lens.charAt(lp++)) != ',') len = len * 10 + (ch - '0');
          out.add(new Object[]{off++, Arrays.copyOfRange(blob, pos, pos + len)}); pos += len; sumB += len;
        }
        after = hi; rowsB += cnt;
      }
      long tB = cpu() - t0;
      System.out.printf("rep %d: per-row read %.3f us/row (%d rows, %d B), aggregate read %.3f us/row (%d rows, %d B)%n", rep, tA / 1000.0 / rows, rows, sum, tB / 1000.0 / rowsB, rowsB, sumB);
    }
    // C: delete cost, in 2000-row ranges (as the runner does), on a copy: do it at the end
    PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE \"offset\" <= ?");
    long t0 = cpu(); long w0 = System.nanoTime();
    for (long up = 2000; up <= n; up += 2000) { del.setLong(1, up); del.executeUpdate(); }
    long tC = cpu() - t0;
    System.out.printf("delete in 2000-row ranges: %.3f us/row cpu, %.3f us/row wall%n", tC / 1000.0 / n, (System.nanoTime() - w0) / 1000.0 / n);
  }
}
