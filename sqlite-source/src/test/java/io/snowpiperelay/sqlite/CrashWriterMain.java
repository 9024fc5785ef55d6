package io.snowpiperelay.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link CrashSafetyIT}: appends batches to a stream as fast as it can (a batch of one row
 * with {@code append}, larger ones with {@code appendAll}) and, after each
 * commit, prints {@code COMMITTED <batch> <firstOffset> <lastOffset>}. Bounded to 1,000,000 batches and
 * 120 s, so a forgotten child ends by itself. Killed with SIGKILL by the test.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String stream = args[1];
        int batchRows = Integer.parseInt(args[2]);
        String synchronous = args.length > 3 ? args[3] : "NORMAL";
        long deadline = System.nanoTime() + 120_000_000_000L;
        OutboxConfig config = OutboxConfig.builder().synchronousMode(SynchronousMode.valueOf(synchronous)).build();
        try (SqliteOutbox outbox = SqliteOutbox.open(file, config)) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            for (int batch = 0; batch < 1_000_000 && System.nanoTime() < deadline; batch++) {
                List<String> payloads = new ArrayList<>(batchRows);
                for (int i = 0; i < batchRows; i++) {
                    payloads.add("{\"batch\":" + batch + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(150) + "\"}");
                }
                // One row per batch goes through append(), the group-commit path.
                long[] offsets = batchRows == 1 ? new long[] {outbox.append(stream, payloads.get(0))}
                        : outbox.appendAll(stream, payloads);
                System.out.println("COMMITTED " + batch + " " + offsets[0] + " " + offsets[offsets.length - 1]);
                System.out.flush();
            }
        }
    }
}
