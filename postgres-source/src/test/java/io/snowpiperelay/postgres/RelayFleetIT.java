package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import io.snowpiperelay.testkit.SnowpipeEmulatorExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several {@link RelayFleet} members in one JVM over one PostgreSQL outbox, relaying with the real SDK into the
 * emulator while a writer keeps appending: partitions spread evenly, move when a member joins, leaves or cannot renew
 * its leases, and every row lands exactly once in per-key order.
 */
class RelayFleetIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final Duration MARGIN = Duration.ofSeconds(1);
    private static final int KEYS = 40;
    private static final String SQL = """
            CREATE DATABASE IF NOT EXISTS DB;
            CREATE SCHEMA IF NOT EXISTS DB.PUBLIC;
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.SHARED (ID NUMBER(38,0) NOT NULL, K NUMBER(38,0), SEQ NUMBER(38,0));
            CREATE TABLE IF NOT EXISTS DB.PUBLIC.CUTOFF (ID NUMBER(38,0) NOT NULL, K NUMBER(38,0), SEQ NUMBER(38,0));
            """;

    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(
            SnowpipeEmulator.builder().commitLag(Duration.ofMillis(100)).sql(SQL));

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private Thread writer;

    @AfterEach
    void stop() throws Exception {
        writing.set(false);
        if (writer != null) {
            writer.join(TIMEOUT.toMillis());
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private PostgresOutbox outbox(String stream, int partitions) {
        PostgresOutbox outbox = PostgresOutbox.open(POSTGRES.superuser(),
                PostgresServerExtension.newConfig().toBuilder().partitions(stream, partitions).build());
        closeables.add(outbox);
        return outbox;
    }

    private RelayFleet member(PostgresOutbox outbox, String stream, String id, RelayListener relayListener) {
        RelayFleet fleet = RelayFleet.builder()
                .outbox(outbox)
                .profile(ClientProfile.fromProperties(EMULATOR.clientProperties()))
                .stream(stream, "DB", "PUBLIC", stream)
                .memberId(id)
                .leaseDuration(LEASE).heartbeatInterval(HEARTBEAT).renewMargin(MARGIN)
                .runnerConfig(RunnerConfig.builder().commitPollInterval(Duration.ofMillis(100))
                        .idleBackoffMax(Duration.ofMillis(50))
                        .reopenBackoffInitial(Duration.ofMillis(50)).reopenBackoffMax(Duration.ofMillis(500))
                        .closeTimeout(Duration.ofSeconds(5)).build())
                .relayListener(relayListener)
                .build();
        closeables.add(fleet);
        fleet.start();
        return fleet;
    }

    /** Appends rows with keys 0..KEYS-1 in small transactions until stopped; each key's SEQ counts up from 1. */
    private AtomicLong startWriter(PostgresOutbox outbox, String stream) {
        AtomicLong written = new AtomicLong();
        long[] seqByKey = new long[KEYS];
        writer = new Thread(() -> {
            try (Connection connection = POSTGRES.superuser().getConnection()) {
                connection.setAutoCommit(false);
                while (writing.get()) {
                    for (int i = 0; i < 10; i++) {
                        long id = written.get() + i + 1;
                        int key = (int) (id % KEYS);
                        outbox.append(connection, stream, "k" + key,
                                "{\"ID\":" + id + ",\"K\":" + key + ",\"SEQ\":" + ++seqByKey[key] + "}");
                    }
                    connection.commit();
                    written.addAndGet(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer-" + stream);
        writer.setDaemon(true);
        writer.start();
        return written;
    }

    private long stopWriter(AtomicLong written) throws InterruptedException {
        writing.set(false);
        writer.join(TIMEOUT.toMillis());
        return written.get();
    }

    private static Map<String, Long> ownersOf(RelayFleet anyMember) {
        return anyMember.assignments().stream().filter(PartitionAssignment::live)
                .collect(Collectors.groupingBy(PartitionAssignment::owner, Collectors.counting()));
    }

    /** Every row landed once, the outbox is drained, and each key's rows landed in SEQ order. */
    private static void assertExactlyOnceInKeyOrder(PostgresOutbox outbox, String table, long written) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(EMULATOR.emulator().queryForLong("SELECT count(*) FROM " + table)).isEqualTo(written);
            assertThat(outbox.pendingCount(table)).isZero();
        });
        assertThat(EMULATOR.emulator().queryForLong("SELECT count(DISTINCT ID) FROM " + table)).isEqualTo(written);
        assertThat(EMULATOR.emulator().queryForLong("SELECT min(ID) FROM " + table)).isEqualTo(1);
        assertThat(EMULATOR.emulator().queryForLong("SELECT max(ID) FROM " + table)).isEqualTo(written);
        Map<Long, Long> lastSeq = new HashMap<>();
        for (Map<String, Object> row : EMULATOR.emulator().query("SELECT K, SEQ FROM " + table + " ORDER BY rowid")) {
            long key = ((Number) row.get("K")).longValue();
            long seq = ((Number) row.get("SEQ")).longValue();
            assertThat(seq).as("key %d landed out of order", key).isEqualTo(lastSeq.getOrDefault(key, 0L) + 1);
            lastSeq.put(key, seq);
        }
    }

    @Test
    void membersShareThePartitionsAndHandThemOverWhenOneJoinsOrLeaves() throws Exception {
        String stream = "SHARED";
        PostgresOutbox outbox = outbox(stream, 6);
        AtomicLong written = startWriter(outbox, stream);

        long clientsBefore = EMULATOR.emulator().requestCount(Endpoint.HOSTNAME);
        Set<String> openedByA = ConcurrentHashMap.newKeySet();
        RelayFleet a = member(outbox, stream, "a", new RelayListener() {
            @Override
            public void opened(String channel, long committedOffset) {
                openedByA.add(channel);
            }
        });
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 6L)));
        assertThat(a.assignments()).extracting(PartitionAssignment::channel)
                .containsExactly("SHARED_P0", "SHARED_P1", "SHARED_P2", "SHARED_P3", "SHARED_P4", "SHARED_P5");
        await().atMost(TIMEOUT).until(() -> openedByA.size() == 6);
        // The SDK asks for the ingest host once per client it builds: six partitions, one pipe, one client.
        assertThat(EMULATOR.emulator().requestCount(Endpoint.HOSTNAME) - clientsBefore).isEqualTo(1);

        RelayFleet b = member(outbox, stream, "b", new RelayListener() { });
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 3L, "b", 3L)));
        RelayFleet c = member(outbox, stream, "c", new RelayListener() { });
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 2L, "b", 2L, "c", 2L)));
        await().atMost(TIMEOUT).until(() -> c.ownedChannels().size() == 2);

        b.close();
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 3L, "c", 3L)));
        assertThat(b.metrics().releases()).isEqualTo(b.metrics().claims());
        assertThat(a.metrics().releases()).isPositive(); // gave partitions up to b and c

        long total = stopWriter(written);
        assertThat(total).isPositive();
        assertExactlyOnceInKeyOrder(outbox, stream, total);
        assertThat(a.metrics().losses() + c.metrics().losses()).isZero();
    }

    @Test
    void aMemberRefusesToStartWhileProducersAppendToPartitionsTheFleetDoesNotHave() {
        String stream = "SHARED";
        PostgresOutbox fleetSide = outbox(stream, 2);
        PostgresOutbox producer = PostgresOutbox.open(POSTGRES.superuser(),
                fleetSide.config().toBuilder().partitions(stream, 8).build());
        closeables.add(producer);
        producer.appendAll(stream, List.of("{\"ID\":1}", "{\"ID\":2}", "{\"ID\":3}", "{\"ID\":4}",
                "{\"ID\":5}", "{\"ID\":6}", "{\"ID\":7}", "{\"ID\":8}"));
        RelayFleet member = RelayFleet.builder()
                .outbox(fleetSide)
                .profile(ClientProfile.fromProperties(EMULATOR.clientProperties()))
                .stream(stream, "DB", "PUBLIC", stream)
                .memberId("a")
                .leaseDuration(LEASE).heartbeatInterval(HEARTBEAT).renewMargin(MARGIN)
                .build();
        closeables.add(member);
        long clientsBefore = EMULATOR.emulator().requestCount(Endpoint.HOSTNAME);

        assertThatThrownBy(member::start).isInstanceOf(PostgresOutboxException.class)
                .hasMessageContaining("has rows in partition 7 but the fleet has 2 partitions")
                .hasMessageContaining("the same PostgresOutboxConfig.partitions(\"SHARED\", n)");
        assertThat(fleetSide.pendingCount(stream)).isEqualTo(8);
        assertThat(EMULATOR.emulator().requestCount(Endpoint.HOSTNAME)).isEqualTo(clientsBefore);
    }

    @Test
    void aMemberThatCannotRenewStopsAppendingBeforeAnotherTakesItsPartitions() throws Exception {
        String stream = "CUTOFF";
        PostgresOutbox outbox = outbox(stream, 4);
        AtomicLong written = startWriter(outbox, stream);
        Map<String, Long> lastAppendByA = new ConcurrentHashMap<>();
        Map<String, Long> firstOpenByB = new ConcurrentHashMap<>();
        RelayFleet a = member(outbox, stream, "a", new RelayListener() {
            @Override
            public void appended(String channel, long firstOffset, long lastOffset, int rows) {
                lastAppendByA.put(channel, System.nanoTime());
            }
        });
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 4L)));
        RelayFleet b = member(outbox, stream, "b", new RelayListener() {
            @Override
            public void opened(String channel, long committedOffset) {
                firstOpenByB.putIfAbsent(channel, System.nanoTime());
            }
        });
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 2L, "b", 2L))
                && a.ownedChannels().size() == 2);
        List<String> cutOff = a.ownedChannels();
        await().atMost(TIMEOUT).until(() -> cutOff.stream().allMatch(lastAppendByA::containsKey));

        // Cut a off from renewing: its registration row is locked, so every heartbeat times out on it.
        try (Connection blocker = POSTGRES.superuser().getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("SELECT * FROM " + new io.snowpiperelay.postgres.internal.LeaseStore(
                    outbox.config()).memberTable() + " WHERE member = 'a' FOR UPDATE");
            await().atMost(TIMEOUT).until(() -> a.ownedChannels().isEmpty());
            await().atMost(TIMEOUT).until(() -> ownersOf(b).equals(Map.of("b", 4L))
                    && cutOff.stream().allMatch(firstOpenByB::containsKey));
            assertThat(a.metrics().losses()).isEqualTo(2);
            assertThat(a.metrics().heartbeatFailures()).isPositive();
            for (String channel : cutOff) {
                assertThat(firstOpenByB).containsKey(channel);
                assertThat(lastAppendByA.get(channel)).as("a's last append on %s before b opened it", channel)
                        .isLessThan(firstOpenByB.get(channel));
            }
            blocker.rollback();
        }

        // a renews again and rejoins: b gives back its share.
        await().atMost(TIMEOUT).until(() -> ownersOf(a).equals(Map.of("a", 2L, "b", 2L)));
        long total = stopWriter(written);
        assertExactlyOnceInKeyOrder(outbox, stream, total);
    }
}
