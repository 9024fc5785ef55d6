import java.lang.invoke.*;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.lang.management.*;
public class Scan {
  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static boolean loop(byte[] b, int from, int to) { for (int i = from; i < to; i++) { byte x = b[i]; if (x == '\n' || x == '\r') return true; } return false; }
  static boolean swar(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long v = (long) LONGS.get(b, i);
      long n = v ^ 0x0A0A0A0A0A0A0A0AL, r = v ^ 0x0D0D0D0D0D0D0D0DL;
      long z = ((n - 0x0101010101010101L) & ~n) | ((r - 0x0101010101010101L) & ~r);
      if ((z & 0x8080808080808080L) != 0) return true;
    }
    for (; i < to; i++) { byte x = b[i]; if (x == '\n' || x == '\r') return true; }
    return false;
  }
  static int nextLf(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long n = ((long) LONGS.get(b, i)) ^ 0x0A0A0A0A0A0A0A0AL;
      long z = (n - 0x0101010101010101L) & ~n & 0x8080808080808080L;
      if (z != 0) return i + (Long.numberOfTrailingZeros(z) >>> 3);
    }
    for (; i < to; i++) if (b[i] == '\n') return i;
    return -1;
  }
  public static void main(String[] a) {
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < 128; k++) { if (k > 0) sb.append('\n'); sb.append("{\"TXID\":\"" + k + "abcdef\",\"NAME\":\"" + "x".repeat(480) + "\",\"PRICE\":" + k + "}"); }
    byte[] block = sb.toString().getBytes(StandardCharsets.UTF_8);
    int rows = 128;
    for (int rep = 0; rep < 6; rep++) {
      long sink = 0;
      long c0 = tm.getCurrentThreadCpuTime();
      for (int it = 0; it < 20000; it++) { int s = 0; for (int i = 0; i <= block.length; i++) if (i == block.length || block[i] == '\n') { sink += i - s; s = i + 1; } }
      long c1 = tm.getCurrentThreadCpuTime();
      for (int it = 0; it < 20000; it++) { int s = 0; while (true) { int e = nextLf(block, s, block.length); if (e < 0) { sink += block.length - s; break; } sink += e - s; s = e + 1; } }
      long c2 = tm.getCurrentThreadCpuTime();
      for (int it = 0; it < 20000; it++) { if (!loop(block, 0, 500)) sink++; if (loop(block, 0, block.length)) sink++; }
      long c3 = tm.getCurrentThreadCpuTime();
      for (int it = 0; it < 20000; it++) { if (!swar(block, 0, 500)) sink++; if (swar(block, 0, block.length)) sink++; }
      long c4 = tm.getCurrentThreadCpuTime();
      double per = 20000.0 * rows;
      System.out.printf("split loop %.3f us/row, split swar %.3f, guard loop(500B) %.3f, guard swar %.3f  %d%n", (c1-c0)/1000.0/per, (c2-c1)/1000.0/per, (c3-c2)/1000.0/(20000.0), (c4-c3)/1000.0/20000.0, sink);
    }
  }
}
