package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqliteOutboxTest {

    @TempDir
    Path dir;

    private Path file;
    private SqliteOutbox outbox;

    @BeforeEach
    void open() {
        file = dir.resolve("sub/outbox.db");
        outbox = SqliteOutbox.open(file);
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    @Test
    void appendReturnsIncreasingOffsetsFromOnePerStream() {
        assertThat(outbox.append("LIFT_RIDE", "{\"a\":1}")).isEqualTo(1);
        assertThat(outbox.append("LIFT_RIDE", "{\"a\":2}")).isEqualTo(2);
        assertThat(outbox.append("RESORT_TICKET", "{\"t\":1}")).isEqualTo(1);
        assertThat(outbox.appendAll("LIFT_RIDE", List.of("{\"a\":3}", "{\"a\":4}", "{\"a\":5}")))
                .containsExactly(3, 4, 5);
        assertThat(outbox.appendAll("LIFT_RIDE", List.of())).isEmpty();
        assertThat(outbox.pendingCount("LIFT_RIDE")).isEqualTo(5);
        assertThat(outbox.pendingCount("RESORT_TICKET")).isEqualTo(1);
        assertThat(outbox.streams()).containsExactly("LIFT_RIDE", "RESORT_TICKET");
        assertThat(outbox.file()).isEqualTo(file.toAbsolutePath()).exists();
    }

    @Test
    void offsetsAreNeverReusedAfterDeleteOrReopen() {
        outbox.appendAll("S", List.of("{}", "{}", "{}"));
        try (SqliteOffsetSource source = outbox.openSource("S")) {
            source.deleteData(3);
        }
        assertThat(outbox.pendingCount("S")).isZero();
        assertThat(outbox.highestIssuedOffset("S")).hasValue(3);
        assertThat(outbox.append("S", "{}")).isEqualTo(4);
        try (SqliteOffsetSource source = outbox.openSource("S")) {
            source.deleteData(4);
        }
        outbox.close();

        outbox = SqliteOutbox.open(file);
        assertThat(outbox.highestIssuedOffset("S")).hasValue(4);
        assertThat(outbox.append("S", "{}")).isEqualTo(5);
        assertThat(outbox.appendAll("S", List.of("{}", "{}"))).containsExactly(6, 7);
    }

    @Test
    void appendAllIsOneTransactionAndANullPayloadStoresNothing() {
        List<String> payloads = new ArrayList<>(List.of("{\"a\":1}", "{\"a\":2}"));
        payloads.add(null);
        assertThatThrownBy(() -> outbox.appendAll("S", payloads))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream S: payload at index 2 of 3 is null; nothing was appended");
        assertThat(outbox.pendingCount("S")).isZero();
        assertThat(outbox.highestIssuedOffset("S")).hasValue(0);
        assertThatThrownBy(() -> outbox.append("S", null)).isInstanceOf(NullPointerException.class);
        // Nothing left bound in the reused statement.
        assertThat(outbox.appendAll("S", List.of("{\"b\":1}"))).containsExactly(1);
        assertThat(outbox.pendingCount("S")).isEqualTo(1);
    }

    @Test
    void largeBatchGetsContiguousOffsetsInOrder() {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            payloads.add("{\"i\":" + i + "}");
        }
        outbox.append("S", "{}");
        long[] offsets = outbox.appendAll("S", payloads);
        assertThat(offsets).hasSize(50_000);
        assertThat(offsets[0]).isEqualTo(2);
        assertThat(offsets[49_999]).isEqualTo(50_001);
        try (SqliteOffsetSource source = outbox.openSource("S")) {
            var records = source.getData(1, 50_000);
            assertThat(records).hasSize(50_000);
            for (int i = 0; i < records.size(); i += 9_999) {
                assertThat(records.get(i).offset()).isEqualTo(offsets[i]);
                assertThat(records.get(i).json()).isEqualTo(payloads.get(i));
            }
        }
    }

    @Test
    void offsetsAreReportedCorrectlyWhenTheSequenceWasEditedByHand() throws Exception {
        outbox.appendAll("S", List.of("{}", "{}"));
        // Someone moves the sequence up with the sqlite3 CLI: offsets jump, and appendAll must report them.
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + outbox.file());
             var statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE sqlite_sequence SET seq = 100 WHERE name = 'outbox_S'");
        }
        assertThat(outbox.appendAll("S", List.of("{}", "{}"))).containsExactly(101, 102);
        assertThat(outbox.append("S", "{}")).isEqualTo(103);
    }

    @Test
    void streamNamesAreCaseInsensitiveAndKeepTheirFirstSpelling() {
        outbox.append("Lift_Ride", "{}");
        outbox.append("LIFT_RIDE", "{}");
        assertThat(outbox.streams()).containsExactly("Lift_Ride");
        assertThat(outbox.pendingCount("lift_ride")).isEqualTo(2);
        try (SqliteOffsetSource source = outbox.openSource("LIFT_RIDE")) {
            assertThat(source.stream()).isEqualTo("Lift_Ride");
            assertThat(source.describe()).isEqualTo("outbox " + outbox.file() + ", stream Lift_Ride");
        }
        // Another outbox instance (as another process would) sees the same spelling.
        try (SqliteOutbox second = SqliteOutbox.open(file)) {
            second.append("lift_RIDE", "{}");
            assertThat(second.streams()).containsExactly("Lift_Ride");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1RIDE", "_RIDE", "LIFT-RIDE", "LIFT RIDE", "lift.ride", "x\"; DROP TABLE y; --",
            "A2345678901234567890123456789012345678901234567890123456789012345"})
    void invalidStreamNamesAreRefusedWithTheRule(String stream) {
        assertThatThrownBy(() -> outbox.append(stream, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stream name '")
                .hasMessageContaining("is invalid; allowed: [A-Za-z][A-Za-z0-9_]{0,63}")
                .hasMessageEndingWith("e.g. LIFT_RIDE");
        assertThatThrownBy(() -> outbox.openSource(stream)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.pendingCount(stream)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.append(null, "{}"))
                .hasMessageStartingWith("stream name must not be null");
        assertThat(outbox.streams()).isEmpty();
    }

    @Test
    void longestValidStreamNameWorks() {
        String stream = "A" + "b".repeat(63);
        assertThat(outbox.append(stream, "{}")).isEqualTo(1);
        assertThat(outbox.streams()).containsExactly(stream);
    }

    @Test
    void inspectionOfAnUnknownStreamCreatesNothing() {
        assertThat(outbox.pendingCount("NOPE")).isZero();
        assertThat(outbox.deadLetters("NOPE")).isEmpty();
        assertThat(outbox.deadLetterCount("NOPE")).isZero();
        assertThat(outbox.highestIssuedOffset("NOPE")).isEqualTo(OptionalLong.empty());
        assertThat(outbox.streams()).isEmpty();
    }

    @Test
    void createIfMissingFalseRefusesAMissingFile() {
        Path missing = dir.resolve("typo.db");
        assertThatThrownBy(() -> SqliteOutbox.open(missing, OutboxConfig.builder().createIfMissing(false).build()))
                .isInstanceOf(OutboxException.class)
                .hasMessage("outbox " + missing + " does not exist and createIfMissing is false; check the path");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedClearly() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        Files.writeString(garbage, "this is not a database, just some text that is long enough".repeat(20));
        assertThatThrownBy(() -> SqliteOutbox.open(garbage))
                .isInstanceOf(OutboxException.class)
                .hasMessageStartingWith("outbox " + garbage + ": cannot open:")
                .hasMessageContaining("check that the path is an SQLite file");
    }

    @Test
    void closeIsIdempotentClosesSourcesAndLaterCallsFailClearly() {
        outbox.append("S", "{}");
        SqliteOffsetSource source = outbox.openSource("S");
        outbox.close();
        outbox.close();
        assertThatThrownBy(() -> source.getData(0, 1))
                .isInstanceOf(OutboxException.class)
                .hasMessageContaining("the source is closed");
        assertThatThrownBy(() -> outbox.append("S", "{}"))
                .isInstanceOf(OutboxException.class)
                .hasMessage("outbox " + outbox.file() + " stream S: the outbox is closed;"
                        + " open it again with SqliteOutbox.open");
        assertThatThrownBy(() -> outbox.streams()).isInstanceOf(OutboxException.class);
        // The relay lock went with the source: a new outbox can relay the stream.
        try (SqliteOutbox reopened = SqliteOutbox.open(file); SqliteOffsetSource again = reopened.openSource("S")) {
            assertThat(again.getData(0, 10)).hasSize(1);
        }
    }

    @Test
    void walIsAPropertyOfTheFileAndFullModeAppends() throws Exception {
        outbox.close();
        outbox = SqliteOutbox.open(file, OutboxConfig.builder().synchronousMode(SynchronousMode.FULL).build());
        assertThat(Arrays.asList(outbox.appendAll("S", List.of("{}")))).hasSize(1);
        assertThat(outbox.config().synchronousMode()).isEqualTo(SynchronousMode.FULL);
        // WAL is a property of the file: every later connection, even the sqlite3 CLI, sees it.
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + outbox.file());
             var statement = connection.createStatement();
             var rows = statement.executeQuery("PRAGMA journal_mode")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualToIgnoringCase("wal");
        }
    }
}
