package io.snowpiperelay.examples.generator;

import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Pulls events from a {@link SkiResortGenerator} and appends them to a {@link SkiOutbox}, one stream per
 * table (or per table partition, see {@link StreamLayout}), in batches with {@link SkiOutbox#appendAll}: one
 * transaction per batch instead of upstream's one commit per row.
 *
 * <p>The rate is paced against the wall clock from the start of {@link #write}: after each batch the writer
 * parks until the events written so far are due. Batches are a tenth of a second of events (at most
 * {@value #MAX_BATCH_ROWS}), so the stream is smooth enough for a live view and the relay.
 *
 * <p>{@link #written(SkiTable)} may be read from any thread while {@link #write} runs; {@code write} itself
 * is called from one thread at a time.
 */
public final class OutboxWriter {

    /** The most events in one {@code appendAll} transaction per stream. */
    public static final int MAX_BATCH_ROWS = 5_000;

    private final SkiOutbox outbox;
    private final SkiResortGenerator generator;
    private final Map<SkiTable, List<String>> streams = new EnumMap<>(SkiTable.class);
    /** Events appended to the outbox per table (index = ordinal); written by the writer thread only. */
    private final AtomicLongArray written = new AtomicLongArray(SkiTable.values().length);

    /**
     * @param outbox           where events go; the caller keeps ownership and closes it
     * @param generator        where events come from
     * @param channelsPerTable how many streams each table's events are spread over (round robin)
     */
    public OutboxWriter(SkiOutbox outbox, SkiResortGenerator generator, int channelsPerTable) {
        this.outbox = outbox;
        this.generator = generator;
        for (SkiTable table : SkiTable.values()) {
            streams.put(table, StreamLayout.streams(table, channelsPerTable));
        }
    }

    /**
     * Appends {@code rows} events, at about {@code eventsPerSecond} (0 or less: as fast as possible), and
     * returns when they are all in the outbox or {@code stopRequested} says so (checked between batches).
     *
     * @return the events appended by this call
     */
    public long write(long rows, double eventsPerSecond, BooleanSupplier stopRequested) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows is " + rows + "; allowed: 0 or more");
        }
        boolean paced = eventsPerSecond > 0;
        int batchRows = paced
                ? (int) Math.max(1, Math.min(MAX_BATCH_ROWS, Math.round(eventsPerSecond / 10)))
                : MAX_BATCH_ROWS;
        Map<String, List<String>> batch = new LinkedHashMap<>();
        long[] perTableCount = new long[SkiTable.values().length];
        long startNanos = System.nanoTime();
        long done = 0;
        while (done < rows && !stopRequested.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            int n = (int) Math.min(batchRows, rows - done);
            batch.clear();
            for (int i = 0; i < n; i++) {
                GeneratedEvent event = generator.next();
                List<String> tableStreams = streams.get(event.table());
                long sequence = written.get(event.table().ordinal()) + perTableCount[event.table().ordinal()]++;
                String stream = tableStreams.get((int) (sequence % tableStreams.size()));
                batch.computeIfAbsent(stream, s -> new ArrayList<>(n)).add(event.json());
            }
            if (done == 0) {
                // The pace starts with the first batch: the generator's one-time warm-up (datafaker loads its
                // locale files) must not put the writer behind schedule and cause a catch-up burst.
                startNanos = System.nanoTime();
            }
            for (Map.Entry<String, List<String>> entry : batch.entrySet()) {
                outbox.appendAll(entry.getKey(), entry.getValue());
            }
            for (SkiTable table : SkiTable.values()) {
                written.addAndGet(table.ordinal(), perTableCount[table.ordinal()]);
                perTableCount[table.ordinal()] = 0;
            }
            done += n;
            if (paced) {
                long dueNanos = startNanos + (long) (done / eventsPerSecond * 1e9);
                parkUntil(dueNanos, stopRequested);
            }
        }
        return done;
    }

    /** Events of {@code table} appended to the outbox so far by this writer. Thread-safe. */
    public long written(SkiTable table) {
        return written.get(table.ordinal());
    }

    /** Events appended so far, all tables. Thread-safe. */
    public long writtenTotal() {
        long total = 0;
        for (SkiTable table : SkiTable.values()) {
            total += written(table);
        }
        return total;
    }

    private static void parkUntil(long dueNanos, BooleanSupplier stopRequested) {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > 0 && !stopRequested.getAsBoolean()) {
            // Park in slices so a stop request is seen within 50 ms.
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
