package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.spi.SourceRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-row appends from many threads share transactions, and each caller still gets its own offset. */
class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int ROWS_PER_THREAD = 2_000;

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsAreCommittedTogetherWithDistinctOffsets() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("outbox.db"))) {
            outbox.append("A", "{}"); // creates the streams outside the race
            outbox.append("B", "{}");
            long transactionsBefore = outbox.appendTransactionCount();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String stream = t % 2 == 0 ? "A" : "B";
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> offsets = new ArrayList<>(ROWS_PER_THREAD);
                    for (int i = 0; i < ROWS_PER_THREAD; i++) {
                        offsets.add(outbox.append(stream, "{\"t\":" + thread + ",\"i\":" + i + "}"));
                    }
                    return offsets;
                }));
            }
            start.countDown();
            List<List<Long>> offsetsByThread = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                offsetsByThread.add(result.get(120, TimeUnit.SECONDS));
            }
            int rowsPerStream = THREADS / 2 * ROWS_PER_THREAD;
            Map<Long, String> payloadByOffsetA = new HashMap<>();
            try (SqliteOffsetSource source = outbox.openSource("A")) {
                for (SourceRecord row : source.getData(1, rowsPerStream + 1)) {
                    payloadByOffsetA.put(row.offset(), row.json());
                }
            }
            assertThat(payloadByOffsetA.size()).isEqualTo(rowsPerStream);
            Set<Long> offsetsB = new HashSet<>();
            for (int t = 0; t < THREADS; t++) {
                List<Long> offsets = offsetsByThread.get(t);
                assertThat(offsets).as("thread %d's offsets ascend", t).isSorted().doesNotHaveDuplicates();
                if (t % 2 == 0) {
                    // Each caller got the offset of the row it appended, not a neighbour's.
                    for (int i = 0; i < ROWS_PER_THREAD; i++) {
                        assertThat(payloadByOffsetA.get(offsets.get(i)))
                                .isEqualTo("{\"t\":" + t + ",\"i\":" + i + "}");
                    }
                } else {
                    offsetsB.addAll(offsets);
                }
            }
            assertThat(offsetsB).hasSize(rowsPerStream);
            assertThat(outbox.pendingCount("B")).isEqualTo(rowsPerStream + 1);

            long transactions = outbox.appendTransactionCount() - transactionsBefore;
            assertThat(transactions).as("group commits for %d rows", THREADS * ROWS_PER_THREAD)
                    .isLessThan((long) THREADS * ROWS_PER_THREAD);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
