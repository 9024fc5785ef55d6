package io.snowpiperelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link OffsetSource} contract as a reusable JUnit 5 test: extend it, implement {@link #createSource()} and
 * {@link #append(List)}, and name the subclass {@code *ContractTest} so Surefire runs it. Every source the relay
 * drains should pass it: ours (SQLite, PostgreSQL) and yours.
 *
 * <pre>{@code
 * class MyOutboxContractTest extends OffsetSourceContract {
 *     private MyOutbox outbox;
 *
 *     protected OffsetSource createSource() {
 *         outbox = MyOutbox.createEmpty(...);   // a new, empty store for every test
 *         return outbox.source("EVENTS");
 *     }
 *
 *     protected void append(List<String> payloads) {
 *         outbox.insertAll("EVENTS", payloads);  // as the application would, committed on return
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks, black-box, through {@code getData}, {@code deleteData} and {@code highestIssuedOffset}:
 * <ul>
 *   <li>an empty source returns an empty list, never {@code null};</li>
 *   <li>offsets are &gt; 0 and strictly ascending, payloads come back in the order appended, {@code maxRows} and
 *       {@code afterOffset} page through them without a gap or a repeat;</li>
 *   <li>gaps in the offsets are allowed and read across ({@link #leaveGap()} makes one if the source can);</li>
 *   <li>the visibility rule: a record appended after a read never appears below the highest offset that read
 *       returned, also while several producers append concurrently with a reader (a skipped record fails);</li>
 *   <li>{@code deleteData(x)} removes exactly the records at or below {@code x}, is idempotent, and offsets are
 *       never reused after a delete;</li>
 *   <li>{@code highestIssuedOffset()}, when present, is never below any offset ever returned, also after
 *       everything was deleted, and never goes down (skipped, with a reason, for a source that cannot tell).</li>
 * </ul>
 *
 * <p>Payloads are small JSON objects {@code {"k":"<unique key>"}}; records are matched by that key
 * ({@link #keyOf(SourceRecord)}), so a source may normalise the JSON text (e.g. PostgreSQL {@code jsonb}) or return
 * row maps. Set-up belongs in {@link #createSource()} and tear-down in {@link #release(OffsetSource)}: the source is
 * created lazily on first use, after every {@code @BeforeEach} of the subclass. Each test is bounded in time.
 */
public abstract class OffsetSourceContract {
    /** How long the concurrent visibility test may run before it fails. */
    protected static final Duration CONCURRENT_TEST_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern KEY = Pattern.compile("\"k\"\\s*:\\s*\"([^\"]*)\"");
    private static final int PAGE_ROWS = 7;

    private OffsetSource source;
    private int nextKey;

    /**
     * Creates the source under test over a new, empty store, for one test. Called once per test, lazily, after the
     * subclass's own {@code @BeforeEach} methods.
     */
    protected abstract OffsetSource createSource() throws Exception;

    /**
     * Appends these payloads to the store behind the source, in this order, as the application would (for a
     * database: one transaction, committed when this returns). Called from several threads at once by the
     * concurrent visibility test, so it must be thread-safe.
     */
    protected abstract void append(List<String> jsonPayloads) throws Exception;

    /**
     * Makes the next appended record's offset skip at least one value (e.g. a rolled-back insert, or an insert
     * deleted behind the source's back), if the store can. Default: cannot ({@code false}); the gap test then only
     * reads across the gaps the source makes by itself, and is skipped when there are none.
     *
     * @return whether a gap was made
     */
    protected boolean leaveGap() throws Exception {
        return false;
    }

    /** Releases the source and its store after each test. Default: closes the source if it is AutoCloseable. */
    protected void release(OffsetSource sourceUnderTest) throws Exception {
        if (sourceUnderTest instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * The key a record carries (the {@code "k"} of its payload). Override when the source returns records in a
     * form this cannot read.
     */
    protected String keyOf(SourceRecord record) {
        if (record.isJson()) {
            Matcher m = KEY.matcher(record.json());
            assertTrue(m.find(), () -> "record at offset " + record.offset() + " has no \"k\" in its JSON payload");
            return m.group(1);
        }
        Object k = record.row().get("k");
        assertNotNull(k, () -> "record at offset " + record.offset() + " has no \"k\" in its row");
        return k.toString();
    }

    /** The source under test, created on first use. */
    protected final OffsetSource source() throws Exception {
        if (source == null) {
            source = createSource();
            assertNotNull(source, "createSource() returned null");
        }
        return source;
    }

    @AfterEach
    public final void releaseSource() throws Exception {
        if (source != null) {
            OffsetSource s = source;
            source = null;
            release(s);
        }
    }

    // ------------------------------------------------------------------ the contract

    @Test
    public void anEmptySourceReturnsAnEmptyListNeverNull() throws Exception {
        List<SourceRecord> records = source().getData(0, 10);
        assertNotNull(records, "getData returned null");
        assertTrue(records.isEmpty(), "a new source returned " + records.size() + " records");
        OptionalLong highest = source().highestIssuedOffset();
        assertNotNull(highest, "highestIssuedOffset() returned null; return OptionalLong.empty() if unknown");
        if (highest.isPresent()) {
            assertTrue(highest.getAsLong() >= 0, "highestIssuedOffset() = " + highest.getAsLong() + " < 0");
        }
    }

    @Test
    public void offsetsArePositiveStrictlyAscendingAndPayloadsKeepTheirOrder() throws Exception {
        List<String> keys = appendNew(25);
        List<SourceRecord> all = readAll();
        assertAscendingAbove(0, all);
        assertEquals(keys, keysOf(all), "payloads in offset order");
    }

    @Test
    public void maxRowsAndAfterOffsetPageWithoutGapsOrRepeats() throws Exception {
        List<String> keys = appendNew(3 * PAGE_ROWS + 2);
        List<SourceRecord> paged = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < keys.size() + 1; page++) {
            List<SourceRecord> records = source().getData(after, PAGE_ROWS);
            assertNotNull(records, "getData returned null");
            assertTrue(records.size() <= PAGE_ROWS, "getData(" + after + ", " + PAGE_ROWS + ") returned "
                    + records.size() + " records");
            if (records.isEmpty()) {
                break;
            }
            assertAscendingAbove(after, records);
            paged.addAll(records);
            after = records.get(records.size() - 1).offset();
        }
        assertEquals(keys, keysOf(paged), "pages of " + PAGE_ROWS + " put together");
        assertTrue(source().getData(after, PAGE_ROWS).isEmpty(), "a read after the last offset was not empty");
        assertEquals(List.of(keys.get(1)), keysOf(source().getData(paged.get(0).offset(), 1)),
                "getData(first offset, 1)");
    }

    @Test
    public void gapsInTheOffsetsAreAllowedAndReadAcross() throws Exception {
        appendNew(5);
        boolean made = leaveGap();
        appendNew(5);
        if (leaveGap()) {
            made = true;
        }
        appendNew(3);
        List<SourceRecord> all = readAll();
        assertAscendingAbove(0, all);
        List<long[]> gaps = new ArrayList<>();
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).offset() > all.get(i - 1).offset() + 1) {
                gaps.add(new long[] {all.get(i - 1).offset(), all.get(i).offset()});
            }
        }
        Assumptions.assumeFalse(gaps.isEmpty() && !made, "the source made no gap and leaveGap() cannot make one");
        assertFalse(gaps.isEmpty(), "leaveGap() said it made a gap, but the offsets have none");
        for (long[] gap : gaps) {
            long below = gap[0];
            long above = gap[1];
            for (long after : new long[] {below, below + 1, above - 1}) {
                List<SourceRecord> next = source().getData(after, 1);
                assertEquals(1, next.size(), "getData(" + after + ", 1) inside the gap " + below + ".." + above);
                assertEquals(above, next.get(0).offset(), "getData(" + after + ", 1) inside the gap");
            }
        }
        long[] first = gaps.get(0);
        source().deleteData(first[0] + 1); // an offset inside the gap
        assertEquals(first[1], readAll().get(0).offset(), "after deleteData inside the gap " + first[0] + ".."
                + first[1]);
    }

    @Test
    public void aRecordAppendedAfterAReadNeverAppearsBelowTheHighestOffsetReturned() throws Exception {
        Set<String> seen = new HashSet<>();
        long highestReturned = 0;
        for (int round = 0; round < 5; round++) {
            appendNew(3);
            appendNew(4);
            List<SourceRecord> everything = readAll();
            assertAscendingAbove(0, everything);
            for (SourceRecord r : everything) {
                String key = keyOf(r);
                if (!seen.contains(key)) {
                    assertTrue(r.offset() > highestReturned, "record " + key + " appeared at offset " + r.offset()
                            + ", below offset " + highestReturned + " that an earlier read had returned: a reader"
                            + " that resumes after the last offset it handled skips it (visibility rule)");
                }
            }
            everything.forEach(r -> seen.add(keyOf(r)));
            highestReturned = Math.max(highestReturned, everything.get(everything.size() - 1).offset());
        }
    }

    @Test
    public void concurrentProducersNeverMakeAReaderSkipARecord() throws Exception {
        int producers = 4;
        int appendsPerProducer = 60;
        OffsetSource reader = source();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        Set<String> expected = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < appendsPerProducer; i++) {
                        List<String> payloads = new ArrayList<>();
                        for (int j = 0; j <= i % 3; j++) {
                            String key = "p" + producer + "-" + i + "-" + j;
                            payloads.add(payload(key));
                            expected.add(key);
                        }
                        append(payloads);
                    }
                    return null;
                }));
            }
            // Read as the runner does: always after the last offset returned, while the producers append.
            Set<String> read = new LinkedHashSet<>();
            long after = 0;
            long deadline = System.nanoTime() + CONCURRENT_TEST_TIMEOUT.toNanos();
            boolean producersDone = false;
            while (true) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the reader did not see every record within " + CONCURRENT_TEST_TIMEOUT + "; read "
                            + read.size() + " of " + expected.size());
                }
                List<SourceRecord> batch = reader.getData(after, 50);
                assertNotNull(batch, "getData returned null");
                assertTrue(batch.size() <= 50, "getData(" + after + ", 50) returned " + batch.size() + " records");
                if (!batch.isEmpty()) {
                    assertAscendingAbove(after, batch);
                    for (SourceRecord r : batch) {
                        assertTrue(read.add(keyOf(r)), "record " + keyOf(r) + " was returned twice");
                    }
                    after = batch.get(batch.size() - 1).offset();
                } else if (producersDone) {
                    break; // everything was appended before this empty read
                } else {
                    producersDone = running.stream().allMatch(Future::isDone);
                    Thread.yield(); // nothing new yet: let the producers run
                }
            }
            for (Future<?> f : running) {
                f.get(); // a producer's own failure
            }
            Set<String> skipped = new HashSet<>(expected);
            skipped.removeAll(read);
            assertTrue(skipped.isEmpty(), skipped.size() + " record(s) became visible below an offset the reader"
                    + " had already passed and were skipped (visibility rule), e.g. "
                    + skipped.stream().limit(5).toList());
            assertEquals(expected.size(), read.size(), "records read");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "producers did not stop");
        }
    }

    @Test
    public void deleteRemovesExactlyTheRecordsUpToTheOffsetAndIsIdempotent() throws Exception {
        appendNew(20);
        List<SourceRecord> before = readAll();
        long cut = before.get(9).offset();
        List<String> kept = keysOf(before.subList(10, before.size()));

        source().deleteData(cut);
        assertEquals(kept, keysOf(readAll()), "records left after deleteData(" + cut + ")");
        source().deleteData(cut);
        assertEquals(kept, keysOf(readAll()), "records left after deleteData(" + cut + ") a second time");
        source().deleteData(before.get(3).offset());
        source().deleteData(0);
        assertEquals(kept, keysOf(readAll()), "records left after deleting a lower offset");
        assertEquals(before.get(10).offset(), source().getData(0, 1).get(0).offset(), "first record left");
    }

    @Test
    public void offsetsAreNeverReusedAfterADelete() throws Exception {
        appendNew(10);
        long highest = last(readAll()).offset();
        source().deleteData(highest);
        assertTrue(source().getData(0, 10).isEmpty(), "records left after deleting up to the highest offset");

        List<String> keys = appendNew(5);
        List<SourceRecord> fresh = readAll();
        assertEquals(keys, keysOf(fresh), "records appended after deleting everything");
        assertTrue(fresh.get(0).offset() > highest, "offset " + fresh.get(0).offset() + " was issued again after"
                + " deleting up to " + highest + "; offsets must never be reused");
    }

    @Test
    public void highestIssuedOffsetIsNeverBelowAnOffsetEverReturnedAndNeverGoesDown() throws Exception {
        Assumptions.assumeTrue(source().highestIssuedOffset().isPresent(), "the source cannot tell its highest"
                + " issued offset: the runner then deletes nothing on open and cannot detect a recreated source");
        long everReturned = 0;
        long lastHighest = source().highestIssuedOffset().getAsLong();
        for (int round = 0; round < 3; round++) {
            appendNew(6);
            List<SourceRecord> all = readAll();
            everReturned = Math.max(everReturned, last(all).offset());
            lastHighest = checkHighest(everReturned, lastHighest, "after appending");
            source().deleteData(all.get(all.size() / 2).offset());
            lastHighest = checkHighest(everReturned, lastHighest, "after a partial delete");
            source().deleteData(everReturned);
            lastHighest = checkHighest(everReturned, lastHighest, "after deleting everything");
        }
    }

    // ------------------------------------------------------------------ helpers

    private long checkHighest(long everReturned, long lastHighest, String when) throws Exception {
        OptionalLong now = source().highestIssuedOffset();
        assertTrue(now.isPresent(), "highestIssuedOffset() became empty " + when);
        long highest = now.getAsLong();
        assertTrue(highest >= everReturned, "highestIssuedOffset() = " + highest + " " + when + ", below offset "
                + everReturned + " that getData returned: the runner would take a recreated source for a healthy one"
                + " or refuse a healthy one");
        assertTrue(highest >= lastHighest, "highestIssuedOffset() went down from " + lastHighest + " to " + highest
                + " " + when);
        return highest;
    }

    /** Appends {@code count} new payloads in one call; returns their keys in order. */
    private List<String> appendNew(int count) throws Exception {
        List<String> keys = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "r" + (++nextKey);
            keys.add(key);
            payloads.add(payload(key));
        }
        source(); // created before its store is written to
        append(payloads);
        return keys;
    }

    private static String payload(String key) {
        return "{\"k\":\"" + key + "\"}";
    }

    private List<SourceRecord> readAll() throws Exception {
        List<SourceRecord> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<SourceRecord> page = source().getData(after, 100);
            assertNotNull(page, "getData returned null");
            if (page.isEmpty()) {
                return all;
            }
            assertAscendingAbove(after, page);
            all.addAll(page);
            after = last(page).offset();
        }
    }

    private List<String> keysOf(List<SourceRecord> records) {
        List<String> keys = new ArrayList<>(records.size());
        for (SourceRecord r : records) {
            keys.add(keyOf(r));
        }
        return keys;
    }

    private static SourceRecord last(List<SourceRecord> records) {
        assertFalse(records.isEmpty(), "no records");
        return records.get(records.size() - 1);
    }

    private static void assertAscendingAbove(long after, List<SourceRecord> records) {
        long previous = after;
        for (SourceRecord r : records) {
            assertNotNull(r, "getData returned a null record");
            assertTrue(r.offset() > 0, "offset " + r.offset() + " is not > 0");
            assertTrue(r.offset() > previous, "offset " + r.offset() + " follows offset " + previous
                    + ": offsets must be strictly ascending and above afterOffset " + after);
            previous = r.offset();
        }
    }
}
