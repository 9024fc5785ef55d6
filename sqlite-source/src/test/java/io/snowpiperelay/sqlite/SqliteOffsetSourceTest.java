package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.SourceException;
import io.snowpiperelay.spi.SourceRecord;

import io.snowpiperelay.sqlite.internal.StreamNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOffsetSourceTest {

    private static final int CHUNK_ROWS = 7;

    @TempDir
    Path dir;

    private SqliteOutbox outbox;
    private SqliteOffsetSource source;

    @BeforeEach
    void open() {
        // One record per table row: the chunking tests count table rows (packed rows: PackedRowsOutboxTest).
        outbox = SqliteOutbox.open(dir.resolve("outbox.db"),
                OutboxConfig.builder().deleteChunkRows(CHUNK_ROWS).packRows(1).build());
        source = outbox.openSource("LIFT_RIDE");
    }

    @AfterEach
    void close() {
        source.close();
        outbox.close();
    }

    private List<String> payloads(int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            payloads.add("{\"n\":" + i + "}");
        }
        return payloads;
    }

    @Test
    void getDataReturnsRowsAfterTheOffsetInOrderUpToMax() {
        assertThat(source.getData(0, 10)).isEmpty();
        outbox.appendAll("LIFT_RIDE", payloads(25));

        List<SourceRecord> first = source.getData(0, 10);
        assertThat(first).extracting(SourceRecord::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(first.get(0).isJson()).isTrue();
        assertThat(first.get(0).json()).isEqualTo("{\"n\":1}");
        assertThat(source.getData(10, 100)).extracting(SourceRecord::offset).hasSize(15).startsWith(11L)
                .endsWith(25L).isSorted();
        assertThat(source.getData(25, 100)).isEmpty();
        assertThat(source.getData(24, 1)).extracting(SourceRecord::json).containsExactly("{\"n\":25}");
    }

    @Test
    void payloadsComeBackExactlyIncludingNonAsciiAndEmptyText() {
        List<String> payloads = List.of("{\"NAME\":\"Zoë Ångström 雪 🏂\"}", "", "not json at all", "{\"a\":\"\\u0000\"}");
        long[] offsets = outbox.appendAll("LIFT_RIDE", payloads);
        assertThat(source.getData(0, 10)).extracting(SourceRecord::json).containsExactlyElementsOf(payloads);
        assertThat(source.getData(offsets[0], 1)).extracting(SourceRecord::json).containsExactly("");
    }

    @Test
    void plainObjectsComeBackMarkedCheckedAndEverythingElseUnchecked() {
        List<String> payloads = List.of("{\"n\":1}", "{\"n\":1,\"n\":2}", "{\n\"n\": 3}", "not json", "[4]",
                " {\"s\":\"Zoë\"} ");
        outbox.appendAll("LIFT_RIDE", payloads);
        outbox.append("LIFT_RIDE", "{\"n\":7}");
        outbox.append("LIFT_RIDE", "{\"n\":");

        assertThat(source.getData(0, 10)).extracting(SourceRecord::isCheckedObject)
                .containsExactly(true, false, false, false, false, true, true, false);
        assertThat(source.getData(0, 10)).extracting(SourceRecord::json)
                .containsExactly("{\"n\":1}", "{\"n\":1,\"n\":2}", "{\n\"n\": 3}", "not json", "[4]",
                        " {\"s\":\"Zoë\"} ", "{\"n\":7}", "{\"n\":");
    }

    @Test
    void aStreamTableFromBeforePayloadCheckedGetsTheColumnAndItsOldRowsReadUnchecked() throws Exception {
        source.close();
        outbox.close();
        Path older = dir.resolve("older.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + older);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE \"outbox_LIFT_RIDE\" (\"offset\" INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)");
            statement.execute("INSERT INTO \"outbox_LIFT_RIDE\" (payload, created_at_ms) VALUES ('{\"n\":1}', 0)");
        }
        outbox = SqliteOutbox.open(older);
        source = outbox.openSource("LIFT_RIDE");
        outbox.append("LIFT_RIDE", "{\"n\":2}");
        outbox.appendAll("LIFT_RIDE", List.of("{\"n\":3}", "{\"n\":4}")); // packed: the table got row_count too

        List<SourceRecord> records = source.getData(0, 10);
        assertThat(records).extracting(SourceRecord::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(records).extracting(SourceRecord::isCheckedObject).containsExactly(false, true, true, true);
        assertThat(records).extracting(SourceRecord::json).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}",
                "{\"n\":4}");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + older);
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM \"outbox_LIFT_RIDE\"")) {
            assertThat(rows.getLong(1)).as("table rows: the old one, the single append, one packed row").isEqualTo(3);
        }
    }

    @Test
    void getDataRejectsBadArguments() {
        assertThatThrownBy(() -> source.getData(-1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("afterOffset is -1; allowed: >= 0");
        assertThatThrownBy(() -> source.getData(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRows is 0; allowed: >= 1");
        assertThatThrownBy(() -> source.deleteData(-5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upToOffsetInclusive is -5; allowed: >= 0");
    }

    @Test
    void deleteChunksFollowTheRowsLeftAcrossGapsInTheOffsets() throws Exception {
        outbox.appendAll("LIFT_RIDE", payloads(100));
        // A gap as a rolled-back producer transaction would leave one (AUTOINCREMENT never reuses offsets).
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             Statement st = other.createStatement()) {
            st.executeUpdate("DELETE FROM " + StreamNames.quotedTable("LIFT_RIDE") + " WHERE \"offset\" BETWEEN 3 AND 80");
        }

        source.deleteData(90);

        assertThat(source.lastDeleteTransactions()).isEqualTo(3); // {1, 2}, then 81..87, then 88..90
        assertThat(source.getData(0, 1)).extracting(SourceRecord::offset).containsExactly(91L);
        assertThat(outbox.pendingCount("LIFT_RIDE")).isEqualTo(10);
    }

    @Test
    void deleteRemovesUpToTheBoundInclusiveInChunksAndIsIdempotent() {
        outbox.appendAll("LIFT_RIDE", payloads(100));

        source.deleteData(30);
        assertThat(source.lastDeleteTransactions()).isEqualTo(5); // 7+7+7+7+2
        assertThat(outbox.pendingCount("LIFT_RIDE")).isEqualTo(70);
        assertThat(source.getData(0, 1)).extracting(SourceRecord::offset).containsExactly(31L);

        source.deleteData(30);
        assertThat(source.lastDeleteTransactions()).isZero();
        source.deleteData(10);
        assertThat(outbox.pendingCount("LIFT_RIDE")).isEqualTo(70);

        source.deleteData(35); // 5 rows: under one chunk
        assertThat(source.lastDeleteTransactions()).isEqualTo(1);
        source.deleteData(0);
        assertThat(outbox.pendingCount("LIFT_RIDE")).isEqualTo(65);

        source.deleteData(49); // 14 rows: exactly two full chunks, and no empty one after them
        assertThat(source.lastDeleteTransactions()).isEqualTo(2);
        assertThat(source.getData(0, 1)).extracting(SourceRecord::offset).containsExactly(50L);

        // Beyond the highest offset: removes everything there is, nothing more.
        source.deleteData(1_000);
        assertThat(outbox.pendingCount("LIFT_RIDE")).isZero();
        assertThat(outbox.append("LIFT_RIDE", "{}")).isEqualTo(101);
    }

    @Test
    void deleteWorksAcrossGapsInOffsets() {
        outbox.appendAll("LIFT_RIDE", payloads(40));
        source.deleteData(20);
        // A fresh source (no memory of what was deleted) over a table starting at 21.
        source.close();
        source = outbox.openSource("LIFT_RIDE");
        source.deleteData(25);
        assertThat(source.getData(0, 100)).extracting(SourceRecord::offset).startsWith(26L).hasSize(15);
    }

    @Test
    void highestIssuedOffsetSurvivesDeletes() {
        assertThat(source.highestIssuedOffset()).hasValue(0);
        outbox.appendAll("LIFT_RIDE", payloads(12));
        assertThat(source.highestIssuedOffset()).hasValue(12);
        source.deleteData(12);
        assertThat(outbox.pendingCount("LIFT_RIDE")).isZero();
        assertThat(source.highestIssuedOffset()).hasValue(12);
        assertThat(outbox.highestIssuedOffset("LIFT_RIDE")).hasValue(12);
    }

    @Test
    void deadLettersAreStoredListedAndIdempotentPerOffset() {
        Instant at = Instant.parse("2026-11-23T14:00:19.763520123Z");
        source.handle(new DeadLetter("LIFT_RIDE_0", 7, "{not json", "payload is not valid JSON: Unexpected", at));
        source.handle(new DeadLetter("LIFT_RIDE_0", 3, null, "row over the size cap", at));
        assertThat(outbox.deadLetterCount("LIFT_RIDE")).isEqualTo(2);
        assertThat(outbox.deadLetterCount("OTHER")).isZero();

        List<DeadLetter> deadLetters = outbox.deadLetters("lift_ride");
        assertThat(deadLetters).containsExactly(
                new DeadLetter("LIFT_RIDE_0", 3, null, "row over the size cap", at),
                new DeadLetter("LIFT_RIDE_0", 7, "{not json", "payload is not valid JSON: Unexpected", at));

        // The relay may hand the same record over again after a restart: still one entry, the latest.
        Instant later = at.plusSeconds(60);
        source.handle(new DeadLetter("LIFT_RIDE_0", 7, "{not json", "payload is not valid JSON: again", later));
        assertThat(outbox.deadLetters("LIFT_RIDE")).hasSize(2).last()
                .extracting(DeadLetter::reason, DeadLetter::recordedAt)
                .containsExactly("payload is not valid JSON: again", later);
    }

    @Test
    void deadLettersSurviveReopenAndAreKeptPerStream() {
        source.handle(new DeadLetter("C", 1, "x", "bad", Instant.EPOCH));
        try (SqliteOffsetSource other = outbox.openSource("RESORT_TICKET")) {
            other.handle(new DeadLetter("C2", 1, "y", "bad too", Instant.EPOCH));
        }
        Path file = outbox.file();
        source.close();
        outbox.close();
        outbox = SqliteOutbox.open(file);
        source = outbox.openSource("LIFT_RIDE");
        assertThat(outbox.deadLetters("LIFT_RIDE")).extracting(DeadLetter::channel).containsExactly("C");
        assertThat(outbox.deadLetters("RESORT_TICKET")).extracting(DeadLetter::channel).containsExactly("C2");
    }

    @Test
    void describeNamesFileAndStream() {
        assertThat(source.describe()).isEqualTo("outbox " + outbox.file() + ", stream LIFT_RIDE");
        assertThat(source.file()).isEqualTo(outbox.file());
        assertThat(source.lockFile().getFileName().toString()).isEqualTo("outbox.db.LIFT_RIDE.relay.lock");
    }

    @Test
    void useAfterCloseFailsWithASourceExceptionNamingTheStream() {
        source.close();
        source.close();
        assertThatThrownBy(() -> source.getData(0, 1))
                .isInstanceOf(SourceException.class)
                .hasMessage("outbox " + outbox.file() + ", stream LIFT_RIDE: the source is closed;"
                        + " open a new one with SqliteOutbox.openSource");
        assertThatThrownBy(() -> source.deleteData(1)).isInstanceOf(OutboxException.class);
        assertThatThrownBy(() -> source.highestIssuedOffset()).isInstanceOf(OutboxException.class);
        assertThatThrownBy(() -> source.handle(new DeadLetter("C", 1, "x", "r", Instant.EPOCH)))
                .isInstanceOf(OutboxException.class);
    }

    @Test
    void sqlErrorsAreWrappedWithFileAndStream() throws Exception {
        // Drop the table behind the source's back, as a careless operator might.
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + outbox.file());
             var statement = connection.createStatement()) {
            statement.executeUpdate("DROP TABLE outbox_LIFT_RIDE");
        }
        assertThatThrownBy(() -> source.getData(0, 10))
                .isInstanceOf(OutboxException.class)
                .hasMessageStartingWith("outbox " + outbox.file() + ", stream LIFT_RIDE: getData(after 0, max 10)"
                        + " failed: ")
                .satisfies(e -> assertThat(((OutboxException) e).stream()).hasValue("LIFT_RIDE"))
                .hasCauseInstanceOf(java.sql.SQLException.class);
    }
}
