package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.spi.SourceRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many producer threads appending (single rows and batches, through two outbox instances, as two processes
 * would) while a relay reads and deletes: no row lost, none duplicated, offsets strictly increasing, each
 * producer's rows in its own order, counts matching.
 */
class ConcurrentRelayTest {

    private static final int PRODUCERS = 6;
    private static final int ROWS_PER_PRODUCER = 6_000;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"producer\":(\\d+),\"seq\":(\\d+)}");

    @TempDir
    Path dir;

    @Test
    void producersAndARelayLoseAndDuplicateNothing() throws Exception {
        Path file = dir.resolve("outbox.db");
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        try (SqliteOutbox outbox = SqliteOutbox.open(file,
                OutboxConfig.builder().deleteChunkRows(500).build());
             SqliteOutbox secondWriter = SqliteOutbox.open(file);
             SqliteOffsetSource source = outbox.openSource("LIFT_RIDE")) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                SqliteOutbox target = producer % 2 == 0 ? outbox : secondWriter;
                producers.add(pool.submit(() -> {
                    start.await();
                    return produce(target, producer);
                }));
            }
            start.countDown();

            long total = (long) PRODUCERS * ROWS_PER_PRODUCER;
            Map<Integer, Integer> nextSeqByProducer = new HashMap<>();
            Map<Integer, List<Long>> offsetsByProducer = new HashMap<>();
            long after = 0;
            long received = 0;
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            for (int reads = 0; received < total && reads < 10_000_000; reads++) {
                assertThat(System.nanoTime()).as("relay finished in time").isLessThan(deadline);
                List<SourceRecord> batch = source.getData(after, 700);
                for (SourceRecord record : batch) {
                    assertThat(record.offset()).as("offsets strictly increasing").isGreaterThan(after);
                    after = record.offset();
                    Matcher m = PAYLOAD.matcher(record.json());
                    assertThat(m.matches()).isTrue();
                    int producer = Integer.parseInt(m.group(1));
                    int seq = Integer.parseInt(m.group(2));
                    int expected = nextSeqByProducer.getOrDefault(producer, 0);
                    assertThat(seq).as("producer %d: no loss, no duplicate, in order", producer).isEqualTo(expected);
                    nextSeqByProducer.put(producer, expected + 1);
                    offsetsByProducer.computeIfAbsent(producer, k -> new ArrayList<>()).add(record.offset());
                    received++;
                }
                if (!batch.isEmpty()) {
                    // Deleting right behind the reader, while producers insert, as CLEANUP does.
                    source.deleteData(after);
                }
            }
            assertThat(received).isEqualTo(total);

            for (int p = 0; p < PRODUCERS; p++) {
                long[] returned = producers.get(p).get(60, TimeUnit.SECONDS);
                assertThat(offsetsByProducer.get(p)).as("offsets returned to producer %d", p)
                        .containsExactlyElementsOf(java.util.Arrays.stream(returned).boxed().toList());
            }
            assertThat(source.getData(after, 10)).isEmpty();
            assertThat(outbox.pendingCount("LIFT_RIDE")).isZero();
            assertThat(source.highestIssuedOffset()).hasValue(total);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Alternates single appends and batches of varying size; returns the offsets it was given, in order. */
    private static long[] produce(SqliteOutbox outbox, int producer) {
        long[] offsets = new long[ROWS_PER_PRODUCER];
        int seq = 0;
        int round = 0;
        while (seq < ROWS_PER_PRODUCER) {
            int batchRows = Math.min(round % 3 == 0 ? 1 : 1 + (round * 37) % 200, ROWS_PER_PRODUCER - seq);
            if (batchRows == 1) {
                offsets[seq] = outbox.append("LIFT_RIDE", payload(producer, seq));
                seq++;
            } else {
                List<String> payloads = new ArrayList<>(batchRows);
                for (int i = 0; i < batchRows; i++) {
                    payloads.add(payload(producer, seq + i));
                }
                long[] batch = outbox.appendAll("LIFT_RIDE", payloads);
                System.arraycopy(batch, 0, offsets, seq, batchRows);
                seq += batchRows;
            }
            round++;
        }
        return offsets;
    }

    private static String payload(int producer, int seq) {
        return "{\"producer\":" + producer + ",\"seq\":" + seq + "}";
    }
}
