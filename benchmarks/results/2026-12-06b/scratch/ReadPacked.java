import io.snowpiperelay.sqlite.*;
import io.snowpiperelay.benchmarks.Workload;
import java.lang.management.*;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

public class ReadPacked {
  public static void main(String[] a) throws Exception {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    Workload w = Workload.valueOf(a[0]); int n = Integer.parseInt(a[1]); int pack = Integer.parseInt(a[2]); String mmap = a[3];
    Path file = Path.of("/tmp/fc/rp-" + a[0] + ".db");
    for (String sfx : new String[]{"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(file + sfx));
    try (SqliteOutbox outbox = SqliteOutbox.open(file, OutboxConfig.builder().packRows(pack).build())) {
      for (int i = 0; i < n; i += 10_000) outbox.appendAll("bench", w.payloads(i, i + 10_000));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) { s.execute("PRAGMA mmap_size=" + mmap); s.execute("PRAGMA cache_size=-8192"); }
      PreparedStatement q = c.prepareStatement("SELECT \"offset\", payload, payload_checked, row_count FROM outbox_bench WHERE \"offset\" > ? ORDER BY \"offset\" LIMIT ?");
      for (int rep = 0; rep < 8; rep++) {
        long c0 = tm.getCurrentThreadCpuTime(), after = 0, rows = 0, bytes = 0, lf = 0;
        long stepNs = 0;
        while (true) {
          q.setLong(1, after); q.setInt(2, 2000 / pack + 1);
          int got = 0;
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) { after = rs.getLong(1); byte[] b = rs.getBytes(2); bytes += b.length; rows += rs.getInt(4); got++;
              if (a.length > 4) for (byte x : b) if (x == '\n') lf++; }
          }
          if (got == 0) break;
        }
        long total = tm.getCurrentThreadCpuTime() - c0;
        System.out.printf("%s pack %d mmap %s rep %d: %.3f us/row, %.2f ns/byte (%d rows, %d bytes, lf %d)%n", a[0], pack, mmap, rep, total / 1000.0 / rows, total * 1.0 / bytes, rows, bytes, lf);
      }
    }
  }
}
