package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.SourceRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox and its relay source against a real PostgreSQL server, without Snowflake. */
class PostgresOutboxIT {

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private static final String STREAM = "LIFT_RIDE";

    private PostgresOutboxConfig config;
    private PostgresOutbox outbox;

    @BeforeEach
    void openOutbox() {
        config = PostgresServerExtension.newConfig();
        outbox = PostgresOutbox.open(POSTGRES.superuser(), config);
    }

    @AfterEach
    void closeOutbox() {
        outbox.close();
    }

    private static String ride(int n) {
        return "{\"ID\":" + n + "}";
    }

    private static List<String> payloads(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::json).toList();
    }

    private static List<Long> offsets(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::offset).toList();
    }

    private static Connection begin(DataSource dataSource) throws SQLException {
        Connection tx = dataSource.getConnection();
        tx.setAutoCommit(false);
        return tx;
    }

    // ------------------------------------------------------------------------------------ schema and appends

    @Test
    void openCreatesTheThreeTablesOnceAndTheirVersionIsInTheComment() throws Exception {
        try (PostgresOutbox again = PostgresOutbox.open(POSTGRES.superuser(), config);
             Connection c = POSTGRES.superuser().getConnection();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT obj_description(to_regclass('" + outbox.table()
                     + "'), 'pg_class'), to_regclass('" + outbox.table() + "_stream') IS NOT NULL, to_regclass('"
                     + outbox.table() + "_dead_letter') IS NOT NULL")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("snowpipe-relay outbox, schema version 1");
            assertThat(rows.getBoolean(2)).isTrue();
            assertThat(rows.getBoolean(3)).isTrue();
            assertThat(again.table()).isEqualTo("public." + config.tablePrefix());
        }
    }

    @Test
    void aNewerSchemaVersionIsRefused() {
        POSTGRES.execute("COMMENT ON TABLE " + outbox.table() + " IS 'snowpipe-relay outbox, schema version 99'");
        assertThatThrownBy(() -> PostgresOutbox.open(POSTGRES.superuser(), config))
                .isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining("outbox " + outbox.table() + " has schema version 99")
                .hasMessageContaining("upgrade snowpipe-relay");
    }

    @Test
    void missingTablesAreAnErrorWhenTheOutboxMayNotCreateThem() {
        PostgresOutboxConfig noCreate = PostgresServerExtension.newConfig().toBuilder().createTables(false).build();
        assertThatThrownBy(() -> PostgresOutbox.open(POSTGRES.superuser(), noCreate))
                .isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining("createTables is false")
                .hasMessageContaining("docs/postgres-outbox.md");
    }

    @Test
    void anAppendJoinsTheCallersTransactionAndIsRelayedOnlyIfItCommits() throws Exception {
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            try (Connection tx = begin(POSTGRES.superuser())) {
                outbox.append(tx, STREAM, ride(1));
                outbox.appendAll(tx, STREAM, List.of(ride(2), ride(3)));
                assertThat(source.getData(0, 10)).as("not visible before the caller commits").isEmpty();
                tx.rollback();
            }
            assertThat(source.getData(0, 10)).as("rolled back: never relayed").isEmpty();
            assertThat(outbox.pendingCount(STREAM)).isZero();

            try (Connection tx = begin(POSTGRES.superuser())) {
                outbox.appendAll(tx, STREAM, List.of(ride(4), ride(5)));
                assertThat(tx.getAutoCommit()).as("the caller's mode is left alone").isFalse();
                tx.commit();
            }
            outbox.append(STREAM, ride(6));
            List<SourceRecord> records = source.getData(0, 10);
            assertThat(offsets(records)).containsExactly(1L, 2L, 3L);
            assertThat(payloads(records)).containsExactly(ride(4), ride(5), ride(6));
            assertThat(source.highestIssuedOffset()).isEqualTo(OptionalLong.of(3));
        }
    }

    @Test
    void invalidStreamsAndNullPayloadsAreRefusedBeforeAnythingIsInserted() throws Exception {
        try (Connection tx = begin(POSTGRES.superuser())) {
            assertThatThrownBy(() -> outbox.append(tx, "lift-ride", ride(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stream name 'lift-ride' is invalid");
            List<String> withNull = new ArrayList<>(List.of(ride(1)));
            withNull.add(null);
            assertThatThrownBy(() -> outbox.appendAll(tx, STREAM, withNull))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("payload at index 1 of 2 is null; nothing was appended");
            tx.commit();
        }
        assertThat(outbox.pendingCount(STREAM)).isZero();
    }

    // ------------------------------------------------------------------------------------------ commit order

    @Test
    void aRowOfALongTransactionIsStampedAboveTheOffsetsHandedOutWhileItWasOpen() throws Exception {
        try (PostgresOffsetSource source = outbox.openSource(STREAM);
             Connection longTx = begin(POSTGRES.superuser())) {
            outbox.append(longTx, STREAM, ride(1));          // takes the lower identity value
            outbox.append(STREAM, ride(2));                  // commits first
            List<SourceRecord> first = source.getData(0, 10);
            assertThat(payloads(first)).containsExactly(ride(2));
            assertThat(offsets(first)).containsExactly(1L);

            longTx.commit();
            List<SourceRecord> second = source.getData(1, 10);
            assertThat(payloads(second)).as("the late commit is not lost below offset 1").containsExactly(ride(1));
            assertThat(offsets(second)).containsExactly(2L);
            // A reader going by insert order would have handed out ride 2 at its identity and skipped ride 1.
            assertThat(identityOf(ride(1))).isLessThan(identityOf(ride(2)));
            // Re-reading from the start (a rewind after a reopen) gives the same offsets.
            assertThat(offsets(source.getData(0, 10))).containsExactly(1L, 2L);
        }
    }

    private long identityOf(String payload) throws SQLException {
        try (Connection c = POSTGRES.superuser().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id FROM " + outbox.table() + " WHERE payload = ?")) {
            q.setString(1, payload);
            try (ResultSet rows = q.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void stampedOffsetsSurviveAReopenAndMaxRowsBoundsEachBatch() {
        outbox.appendAll(STREAM, List.of(ride(1), ride(2), ride(3), ride(4), ride(5)));
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            assertThat(offsets(source.getData(0, 2))).containsExactly(1L, 2L);
            assertThat(offsets(source.getData(2, 2))).containsExactly(3L, 4L);
        }
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            assertThat(source.highestIssuedOffset()).isEqualTo(OptionalLong.of(4));
            assertThat(offsets(source.getData(0, 10))).as("stamped rows come back as stamped").containsExactly(
                    1L, 2L, 3L, 4L);
            assertThat(offsets(source.getData(4, 10))).containsExactly(5L);
            assertThatThrownBy(() -> source.getData(9, 10))
                    .isInstanceOf(PostgresOutboxException.class)
                    .hasMessageContaining("asked for rows after offset 9 but the highest offset ever issued is 5");
        }
    }

    // ----------------------------------------------------------------------------------- deletes and letters

    @Test
    void deleteDataRemovesStampedRowsUpToTheOffsetInChunksAndNothingElse() throws Exception {
        PostgresOutboxConfig chunked = PostgresServerExtension.newConfig().toBuilder().deleteChunkRows(3).build();
        try (PostgresOutbox small = PostgresOutbox.open(POSTGRES.superuser(), chunked);
             PostgresOffsetSource source = small.openSource(STREAM)) {
            List<String> rides = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                rides.add(ride(i));
            }
            small.appendAll(STREAM, rides);
            assertThat(source.getData(0, 8)).hasSize(8);
            small.append(STREAM, ride(11)); // committed, not stamped
            assertThat(small.unstampedCount(STREAM)).isEqualTo(3);
            source.deleteData(7);
            assertThat(small.pendingCount(STREAM)).isEqualTo(4);
            assertThat(offsets(source.getData(0, 10))).containsExactly(8L);
            source.deleteData(7);
            source.deleteData(0);
            assertThat(small.pendingCount(STREAM)).isEqualTo(4);
            assertThat(offsets(source.getData(8, 10))).containsExactly(9L, 10L, 11L);
            source.deleteData(11);
            assertThat(small.pendingCount(STREAM)).isZero();
            assertThat(source.highestIssuedOffset()).isEqualTo(OptionalLong.of(11));
            assertThat(small.highestIssuedOffset(STREAM)).isEqualTo(OptionalLong.of(11));
            assertThat(small.highestIssuedOffset("NEVER_RELAYED")).isEmpty();
        }
    }

    @Test
    void deadLettersAreStoredOncePerOffsetAndListed() {
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            Instant at = Instant.parse("2026-12-06T06:00:00Z");
            source.handle(new DeadLetter("CH_1", 3, "{not json", "payload is not valid JSON", at));
            source.handle(new DeadLetter("CH_1", 3, "{not json", "payload is not valid JSON (again)", at));
            source.handle(new DeadLetter("CH_1", 7, "[1]", "payload is not a JSON object (found an array)", at));
            List<DeadLetter> letters = outbox.deadLetters(STREAM);
            assertThat(letters).extracting(DeadLetter::offset).containsExactly(3L, 7L);
            assertThat(letters.get(0).reason()).isEqualTo("payload is not valid JSON (again)");
            assertThat(letters.get(0).payload()).isEqualTo("{not json");
            assertThat(letters.get(0).recordedAt()).isEqualTo(at);
            assertThat(outbox.deadLetterCount(STREAM)).isEqualTo(2);
            assertThat(outbox.deadLetterCount("OTHER")).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------- one relay only

    @Test
    void aSingleRelayRefusesAStreamWhoseProducersAppendToSeveralPartitions() {
        outbox.appendAll(STREAM, List.of(ride(1), ride(2)));
        try (PostgresOffsetSource onePartition = outbox.openSource(STREAM)) {
            assertThat(offsets(onePartition.getData(0, 10))).containsExactly(1L, 2L);
        }
        // a producer configured with four partitions, e.g. for a fleet, appends to the same stream
        PostgresOutboxConfig fourPartitions = config.toBuilder().partitions(STREAM, 4).build();
        try (PostgresOutbox producer = PostgresOutbox.open(POSTGRES.superuser(), fourPartitions)) {
            producer.appendAll(STREAM, List.of(ride(3), ride(4), ride(5), ride(6)));
        }
        assertThatThrownBy(() -> outbox.openSource(STREAM))
                .isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining("stream " + STREAM + " has rows in partition 3")
                .hasMessageContaining("partition 0 only")
                .hasMessageContaining("RelayFleet");
        assertThat(outbox.pendingCount(STREAM)).as("nothing was touched").isEqualTo(6);
    }

    @Test
    void aRunningSingleRelayStopsReadingOnceAProducerAppendsToAnotherPartition() {
        outbox.appendAll(STREAM, List.of(ride(1), ride(2)));
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            source.checkStrandedRowsEvery(Duration.ZERO);
            assertThat(offsets(source.getData(0, 10))).containsExactly(1L, 2L);
            try (PostgresOutbox producer = PostgresOutbox.open(POSTGRES.superuser(),
                    config.toBuilder().partitions(STREAM, 4).build())) {
                producer.appendAll(STREAM, List.of(ride(3), ride(4), ride(5), ride(6)));
            }
            for (int read = 0; read < 2; read++) { // and it stays so: the runner's retries see the same cause
                assertThatThrownBy(() -> source.getData(2, 10))
                        .isInstanceOf(PostgresOutboxException.class)
                        .hasMessageContaining("has rows in partition 3")
                        .hasMessageContaining("partition 0 only");
            }
            source.deleteData(2); // what was confirmed can still be deleted
        }
        assertThat(outbox.pendingCount(STREAM)).isEqualTo(4);
    }

    @Test
    void aSecondRelayOnTheSameStreamIsRefusedUntilTheFirstLetsGo() throws Exception {
        try (PostgresOutbox otherApplication = PostgresOutbox.open(POSTGRES.superuser(), config)) {
            PostgresOffsetSource first = outbox.openSource(STREAM);
            assertThatThrownBy(() -> otherApplication.openSource(STREAM))
                    .isInstanceOf(PostgresOutboxLockedException.class)
                    .hasMessageStartingWith("outbox " + outbox.table() + " stream " + STREAM
                            + " is already being relayed by another session: backend pid ")
                    .hasMessageContaining("application 'snowpipe-relay " + STREAM + "'")
                    .hasMessageContaining("client 127.0.0.1")
                    .hasMessageEndingWith("; run one relay per outbox stream");
            try (PostgresOffsetSource other = otherApplication.openSource("RESORT_TICKET")) {
                assertThat(other.getData(0, 1)).as("other streams are not affected").isEmpty();
            }
            first.close();
            try (PostgresOffsetSource second = otherApplication.openSource(STREAM)) {
                assertThat(second.describe()).isEqualTo("outbox " + outbox.table() + ", stream " + STREAM);
            }
        }
    }

    @Test
    void theLockOfARelayWhoseSessionDiedIsReleasedByTheServer() throws Exception {
        PostgresOffsetSource dead = outbox.openSource(STREAM);
        outbox.append(STREAM, ride(1));
        assertThat(dead.getData(0, 10)).hasSize(1);
        // What kill -9 of the relay does to its session: the backend goes away, and its locks with it.
        POSTGRES.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                + "'snowpipe-relay " + STREAM + "'");
        try (PostgresOutbox otherApplication = PostgresOutbox.open(POSTGRES.superuser(), config);
             PostgresOffsetSource next = otherApplication.openSource(STREAM)) {
            assertThat(offsets(next.getData(0, 10))).containsExactly(1L);
            // The old source finds its session gone and the stream taken: it refuses rather than sends twice.
            assertThatThrownBy(() -> dead.getData(1, 10)).isInstanceOf(PostgresOutboxException.class);
            assertThatThrownBy(() -> dead.getData(1, 10)).isInstanceOf(PostgresOutboxLockedException.class);
        } finally {
            dead.close();
        }
    }

    @Test
    void aRelayWhoseSessionWasCutReconnectsAndTakesTheLockAgain() throws Exception {
        try (PostgresOffsetSource source = outbox.openSource(STREAM)) {
            outbox.append(STREAM, ride(1));
            assertThat(source.getData(0, 10)).hasSize(1);
            POSTGRES.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                    + "'snowpipe-relay " + STREAM + "'");
            outbox.append(STREAM, ride(2));
            assertThatThrownBy(() -> source.getData(1, 10)).isInstanceOf(PostgresOutboxException.class);
            assertThat(offsets(source.getData(1, 10))).containsExactly(2L);
            try (PostgresOutbox otherApplication = PostgresOutbox.open(POSTGRES.superuser(), config)) {
                assertThatThrownBy(() -> otherApplication.openSource(STREAM))
                        .isInstanceOf(PostgresOutboxLockedException.class);
            }
        }
    }

    // --------------------------------------------------------------------------------------------- grants

    @Test
    void aRoleThatMayNotCreateTheTablesIsToldWhichGrantIsMissing() {
        String role = "no_create_" + config.tablePrefix();
        POSTGRES.execute("CREATE ROLE " + role + " LOGIN", "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        PostgresOutboxConfig fresh = PostgresServerExtension.newConfig();
        assertThatThrownBy(() -> PostgresOutbox.open(POSTGRES.dataSource(role), fresh))
                .isInstanceOf(MissingGrantException.class)
                .hasMessageContaining("role " + role + " lacks privileges to create the outbox tables in schema public")
                .hasMessageContaining("GRANT CREATE ON SCHEMA public TO " + role)
                .satisfies(e -> assertThat(((MissingGrantException) e).role()).isEqualTo(role));
    }

    @Test
    void aProducerRoleWithoutInsertIsToldWhichGrantIsMissingAndItsTransactionIsTheCallers() throws Exception {
        String role = "no_insert_" + config.tablePrefix();
        POSTGRES.execute("CREATE ROLE " + role + " LOGIN");
        PostgresOutbox producer = PostgresOutbox.open(POSTGRES.dataSource(role), config);
        try (Connection tx = begin(POSTGRES.dataSource(role))) {
            assertThatThrownBy(() -> producer.append(tx, STREAM, ride(1)))
                    .isInstanceOf(MissingGrantException.class)
                    .hasMessageContaining("role " + role + " lacks privileges to append")
                    .hasMessageContaining("GRANT INSERT ON " + outbox.table() + " TO " + role);
            tx.rollback();
        }
        POSTGRES.execute("GRANT INSERT ON " + outbox.table() + " TO " + role);
        producer.append(STREAM, ride(1));
        assertThat(outbox.pendingCount(STREAM)).isEqualTo(1);
    }

    @Test
    void aRelayRoleWithoutItsGrantsIsToldEveryMissingOne() {
        String role = "relay_" + config.tablePrefix();
        POSTGRES.execute("CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON " + outbox.table() + " TO " + role);
        PostgresOutbox relay = PostgresOutbox.open(POSTGRES.dataSource(role), config);
        assertThatThrownBy(() -> relay.openSource(STREAM))
                .isInstanceOf(MissingGrantException.class)
                .hasMessageContaining("stream " + STREAM + ": role " + role + " lacks privileges to relay")
                .hasMessageContaining("GRANT UPDATE, DELETE ON " + outbox.table() + " TO " + role)
                .hasMessageContaining("GRANT SELECT, INSERT, UPDATE ON " + outbox.table() + "_stream TO " + role)
                .hasMessageContaining("GRANT SELECT, INSERT, UPDATE ON " + outbox.table() + "_dead_letter TO " + role);
        POSTGRES.execute("GRANT UPDATE, DELETE ON " + outbox.table() + " TO " + role,
                "GRANT SELECT, INSERT, UPDATE ON " + outbox.table() + "_stream, " + outbox.table() + "_dead_letter TO "
                        + role);
        outbox.append(STREAM, ride(1));
        try (PostgresOffsetSource source = relay.openSource(STREAM)) {
            assertThat(offsets(source.getData(0, 10))).containsExactly(1L);
            source.deleteData(1);
        }
        assertThat(outbox.pendingCount(STREAM)).isZero();
    }

    @Test
    void aClosedOutboxRefusesWork() {
        outbox.close();
        assertThatThrownBy(() -> outbox.append(STREAM, ride(1)))
                .isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining("the outbox is closed");
    }
}
