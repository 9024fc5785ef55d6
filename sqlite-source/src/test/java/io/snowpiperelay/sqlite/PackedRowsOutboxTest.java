package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.sqlite.internal.StreamNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records packed several to a table row: what is stored, what is read back, what a delete leaves. */
class PackedRowsOutboxTest {
    private static final String STREAM = "LIFT_RIDE";
    private static final int PACK_ROWS = 10;

    @TempDir
    Path dir;

    private Path file;
    private SqliteOutbox outbox;
    private SqliteOffsetSource source;

    @BeforeEach
    void open() {
        file = dir.resolve("outbox.db");
        outbox = SqliteOutbox.open(file, OutboxConfig.builder().packRows(PACK_ROWS).deleteChunkRows(3).build());
        source = outbox.openSource(STREAM);
    }

    @AfterEach
    void close() {
        source.close();
        outbox.close();
    }

    private static List<String> rides(int from, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            payloads.add("{\"n\":" + i + ",\"resort\":\"Zoë's\"}");
        }
        return payloads;
    }

    private List<String> payloadsAfter(long after) {
        return source.getData(after, 1_000).stream().map(SourceRecord::json).toList();
    }

    @Test
    void appendAllPacksCompactObjectsAndReadsThemBackOnePerOffset() throws Exception {
        long[] offsets = outbox.appendAll(STREAM, rides(1, 25));

        assertThat(offsets).containsExactly(java.util.stream.LongStream.rangeClosed(1, 25).toArray());
        assertThat(tableRows()).containsExactly("10:10", "20:10", "25:5");
        List<SourceRecord> records = source.getData(0, 100);
        assertThat(records).extracting(SourceRecord::offset)
                .containsExactly(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toArray(Long[]::new));
        assertThat(records).extracting(SourceRecord::json).containsExactlyElementsOf(rides(1, 25));
        assertThat(records).allMatch(SourceRecord::isCheckedObject);
        assertThat(outbox.pendingCount(STREAM)).isEqualTo(25);
    }

    @Test
    void payloadsThatCannotShareARowGetTheirOwnAndKeepTheirOrderAndMarks() throws Exception {
        List<String> payloads = List.of("{\"n\":1}", "{\"n\":2}", " {\"n\":3}", "{\n\"n\": 4}", "not json",
                "{\"n\":6}", "{\"n\":7}", "{\"n\":1,\"n\":8}", "{\"n\":9}");

        outbox.appendAll(STREAM, payloads);

        // Whitespace around the object, a line break, bad JSON and a repeated key break the run of packed rows.
        assertThat(tableRows()).containsExactly("2:2", "3:1", "4:1", "5:1", "7:2", "8:1", "9:1");
        List<SourceRecord> records = source.getData(0, 100);
        assertThat(records).extracting(SourceRecord::json).containsExactlyElementsOf(payloads);
        assertThat(records).extracting(SourceRecord::isCheckedObject)
                .containsExactly(true, true, true, false, false, true, true, false, true);
    }

    @Test
    void aPackedRowHoldsAtMostPackBytes() throws Exception {
        source.close();
        outbox.close();
        outbox = SqliteOutbox.open(file, OutboxConfig.builder().packRows(100).packBytes(1024).build());
        source = outbox.openSource(STREAM);
        String big = "{\"pad\":\"" + "x".repeat(400) + "\"}"; // 410 bytes: two fit with their separator, not three

        outbox.appendAll(STREAM, List.of(big, big, big, big, big));

        assertThat(tableRows()).containsExactly("2:2", "4:2", "5:1");
        assertThat(payloadsAfter(0)).hasSize(5).allMatch(big::equals);
    }

    @Test
    void readsStartAndStopInsideAPackedRow() {
        outbox.appendAll(STREAM, rides(1, 30));

        assertThat(source.getData(13, 4)).extracting(SourceRecord::offset).containsExactly(14L, 15L, 16L, 17L);
        assertThat(source.getData(17, 5)).extracting(SourceRecord::offset).containsExactly(18L, 19L, 20L, 21L, 22L);
        assertThat(source.getData(29, 5)).extracting(SourceRecord::offset).containsExactly(30L);
        assertThat(source.getData(30, 5)).isEmpty();
    }

    @Test
    void aDeleteInsideAPackedRowRemovesExactlyTheRecordsUpToItsBound() throws Exception {
        outbox.appendAll(STREAM, rides(1, 30));

        source.deleteData(14);

        assertThat(tableRows()).containsExactly("20:6", "30:10");
        assertThat(payloadsAfter(0)).containsExactlyElementsOf(rides(15, 16));
        assertThat(outbox.pendingCount(STREAM)).isEqualTo(16);
        source.deleteData(14);
        source.deleteData(19);
        assertThat(tableRows()).containsExactly("20:1", "30:10");
        assertThat(payloadsAfter(0)).containsExactlyElementsOf(rides(20, 11));
        source.deleteData(30);
        assertThat(tableRows()).isEmpty();
    }

    @Test
    void offsetsAreNeverIssuedTwiceAfterPackedRowsAreDeletedOrTheFileReopened() {
        outbox.appendAll(STREAM, rides(1, 25));
        source.deleteData(25);
        assertThat(source.highestIssuedOffset()).isEqualTo(OptionalLong.of(25));

        assertThat(outbox.append(STREAM, "{\"n\":26}")).isEqualTo(26); // AUTOINCREMENT went past the packed rows
        source.close();
        outbox.close();
        outbox = SqliteOutbox.open(file);
        source = outbox.openSource(STREAM);
        assertThat(outbox.appendAll(STREAM, rides(27, 3))).containsExactly(27, 28, 29);
        assertThat(source.getData(0, 10)).extracting(SourceRecord::offset).containsExactly(26L, 27L, 28L, 29L);
    }

    @Test
    void concurrentSingleAppendsThatCommitTogetherAreReadBackEachAtItsOwnOffset() throws Exception {
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<Long>> producer = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(outbox.append(STREAM, "{\"t\":" + thread + ",\"i\":" + i + "}"));
                    }
                    return mine;
                };
                futures.add(pool.submit(producer));
            }
            List<SourceRecord> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Long> offsets = futures.get(t).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    // Each offset a producer was given reads back as exactly what that producer appended.
                    List<SourceRecord> one = source.getData(offsets.get(i) - 1, 1);
                    assertThat(one).extracting(SourceRecord::offset).containsExactly(offsets.get(i));
                    assertThat(one.get(0).json()).isEqualTo("{\"t\":" + t + ",\"i\":" + i + "}");
                }
            }
            for (long after = 0; ; ) {
                List<SourceRecord> page = source.getData(after, 97);
                if (page.isEmpty()) {
                    break;
                }
                all.addAll(page);
                after = page.get(page.size() - 1).offset();
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(all).extracting(SourceRecord::offset).doesNotHaveDuplicates().isSorted();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPackedRowWhoseLinesDoNotMatchItsCountStopsTheReadNamingTheRow() throws Exception {
        outbox.appendAll(STREAM, rides(1, 5));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = other.createStatement()) {
            st.executeUpdate("UPDATE " + StreamNames.quotedTable(STREAM) + " SET row_count = 4 WHERE \"offset\" = 5");
        }

        assertThatThrownBy(() -> source.getData(0, 10)).isInstanceOf(OutboxException.class)
                .hasMessageContaining("the row at offset 5 is not a row the outbox wrote")
                .hasMessageContaining("row_count is 4");
    }

    @Test
    void aPackedRowWithACarriageReturnStopsTheReadNamingTheRow() throws Exception {
        outbox.appendAll(STREAM, rides(1, 5));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = other.createStatement()) {
            // Still five lines, but "\r\n" between the first two: a record that would split an NDJSON line.
            st.executeUpdate("UPDATE " + StreamNames.quotedTable(STREAM)
                    + " SET payload = replace(payload, '}' || char(10) || '{', '}' || char(13) || char(10) || '{')"
                    + " WHERE \"offset\" = 5");
        }

        assertThatThrownBy(() -> source.getData(0, 10)).isInstanceOf(OutboxException.class)
                .hasMessageContaining("the row at offset 5 is not a row the outbox wrote")
                .hasMessageContaining("carriage return");
    }

    /** The stream table's rows as {@code "offset:row_count"}, in order. */
    private List<String> tableRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = other.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"offset\", row_count FROM " + StreamNames.quotedTable(STREAM)
                     + " ORDER BY \"offset\"")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + ":" + rs.getInt(2));
            }
        }
        return rows;
    }
}
