package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.testing.FakeSnowpipe;
import io.snowpiperelay.testing.InMemorySource;
import io.snowpiperelay.testing.RecordingListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayGroupTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final PipeName RIDES = PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE");
    private static final PipeName TICKETS = PipeName.defaultPipeOf("DEMO", "PUBLIC", "TICKET");

    private final FakeSnowpipe service = new FakeSnowpipe();
    private final RecordingListener listener = new RecordingListener();
    private RelayGroup group;

    private InMemorySource sourceFor(String channel, int rows) {
        InMemorySource s = new InMemorySource(() -> service.committedOffset(channel));
        s.addRows(rows);
        return s;
    }

    private RelayGroup.Builder builder() {
        return RelayGroup.builder()
                .config(RunnerTestSupport.fast().build())
                .listener(listener)
                .clientFactory(pipe -> service.newClient());
    }

    @AfterEach
    void tearDown() {
        if (group != null) {
            group.close();
        }
        service.close();
    }

    @Test
    void relaysSeveralChannelsOnOneClientPerPipeWithBatchedTokenReads() throws Exception {
        InMemorySource a = sourceFor("LIFT_RIDE_0", 1_000);
        InMemorySource b = sourceFor("LIFT_RIDE_1", 1_000);
        InMemorySource t = sourceFor("TICKET_0", 500);
        group = builder().channel(RIDES, "LIFT_RIDE_0", a).channel(RIDES, "LIFT_RIDE_1", b)
                .channel(TICKETS, "TICKET_0", t).build();
        group.start();

        assertThat(group.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedRows()).hasSize(2_500);
        assertThat(a.remaining() + b.remaining() + t.remaining()).isZero();
        assertThat(service.clientsBuilt()).isEqualTo(2);
        assertThat(service.batchedReads()).isPositive();
        assertThat(group.states()).containsOnlyKeys("LIFT_RIDE_0", "LIFT_RIDE_1", "TICKET_0")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(RunnerState.RUNNING));
        assertThat(group.metrics().get("TICKET_0").committedOffset()).isEqualTo(500);
        assertThat(group.failures()).isEmpty();
        assertThat(a.violations()).isEmpty();
        assertThat(b.violations()).isEmpty();

        group.close();
        assertThat(group.states().values()).containsOnly(RunnerState.CLOSED);
        group.close(); // idempotent
    }

    @Test
    void oneFailingChannelIsReportedAndDoesNotStopTheOthers() throws Exception {
        InMemorySource healthy = sourceFor("LIFT_RIDE_0", 300);
        InMemorySource recreated = sourceFor("LIFT_RIDE_1", 10);
        service.setCommittedToken("LIFT_RIDE_1", "999");
        group = builder().channel(RIDES, "LIFT_RIDE_0", healthy).channel(RIDES, "LIFT_RIDE_1", recreated).build();
        group.start();

        await().atMost(WAIT).until(() -> group.failures().containsKey("LIFT_RIDE_1"));
        assertThat(group.failures().get("LIFT_RIDE_1")).isInstanceOf(SourceRegressionException.class);
        assertThat(listener.fatals).hasSize(1);
        assertThat(group.runner("LIFT_RIDE_0").orElseThrow().awaitDrained(WAIT)).isTrue();
        assertThat(healthy.remaining()).isZero();
        assertThat(group.states().get("LIFT_RIDE_0")).isEqualTo(RunnerState.RUNNING);
        assertThatThrownBy(() -> group.awaitDrained(WAIT)).isInstanceOf(RelayException.class)
                .hasMessageContaining("LIFT_RIDE_1");
        healthy.addRows(50);
        await().atMost(WAIT).until(() -> service.committedIds().size() == 350);
    }

    @Test
    void nChannelsPerTableEachWithItsOwnSourceCarryEveryRowOnce() throws Exception {
        RelayGroup.Builder b = builder();
        for (int i = 0; i < 4; i++) {
            b.channel(RIDES, "LIFT_RIDE_" + i, sourceFor("LIFT_RIDE_" + i, 250));
        }
        group = b.build();
        group.start();
        assertThat(group.awaitDrained(WAIT)).isTrue();
        List<Long> ids = service.committedIds();
        assertThat(ids).hasSize(1_000);
        Set<String> perChannel = new HashSet<>();
        group.metrics().forEach((name, m) -> perChannel.add(name + "=" + m.committedOffset()));
        assertThat(perChannel).containsExactlyInAnyOrder("LIFT_RIDE_0=250", "LIFT_RIDE_1=250", "LIFT_RIDE_2=250",
                "LIFT_RIDE_3=250");
        assertThat(service.clientsBuilt()).isEqualTo(1);
    }

    @Test
    void anInvalidClientIsRebuiltOnceForAllChannelsOfItsPipe() throws Exception {
        InMemorySource[] sources = new InMemorySource[3];
        RelayGroup.Builder b = builder();
        for (int i = 0; i < 3; i++) {
            sources[i] = sourceFor("LIFT_RIDE_" + i, 100);
            b.channel(RIDES, "LIFT_RIDE_" + i, sources[i]);
        }
        group = b.build();
        group.start();
        assertThat(group.awaitDrained(WAIT)).isTrue();
        service.invalidateClients();
        for (InMemorySource s : sources) {
            s.addRows(100);
        }
        await().atMost(WAIT).until(() -> service.committedRows().size() == 600);
        assertThat(group.awaitDrained(WAIT)).isTrue();
        assertThat(service.clientsBuilt()).isEqualTo(2);
        assertThat(group.failures()).isEmpty();
    }

    @Test
    void aTokenFromAnotherWriterInTheGroupsReadsFencesTheMemberAndIsNeverDeletedOn() throws Exception {
        InMemorySource a = sourceFor("LIFT_RIDE_0", 50);
        InMemorySource b = sourceFor("LIFT_RIDE_1", 50);
        group = builder().channel(RIDES, "LIFT_RIDE_0", a).channel(RIDES, "LIFT_RIDE_1", b).build();
        group.start();
        assertThat(group.awaitDrained(WAIT)).isTrue();

        // A second writer commits 5000 on LIFT_RIDE_1: the group's batched token read (and the status) show it.
        service.anotherWriterCommits("LIFT_RIDE_1", "5000");
        await().atMost(WAIT).until(() -> group.failures().containsKey("LIFT_RIDE_1"));

        assertThat(group.failures().get("LIFT_RIDE_1")).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("5000");
        assertThat(b.deletes()).allMatch(d -> d <= 50);
        assertThat(group.metrics().get("LIFT_RIDE_1").deletedOffset()).isEqualTo(50);
        a.addRows(10);
        await().atMost(WAIT).until(() -> group.metrics().get("LIFT_RIDE_0").deletedOffset() == 60);
        assertThat(group.states().get("LIFT_RIDE_0")).isEqualTo(RunnerState.RUNNING);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> RelayGroup.builder().build()).hasMessageContaining("channels = 0");
        InMemorySource s = sourceFor("X", 0);
        assertThatThrownBy(() -> builder().channel(RIDES, "X", s).channel(RIDES, "X", s).build())
                .hasMessageContaining("one writer per channel");
        assertThatThrownBy(() -> RelayGroup.builder().channel(RIDES, "X", s).build()).hasMessageContaining("profile");
        RelayGroup g = builder().channel(RIDES, "X", s).build();
        g.start();
        assertThatThrownBy(g::start).isInstanceOf(IllegalStateException.class);
        g.close();
    }

    @Test
    void membersOfAPipeWithAQuarantinePipeDeadLetterExactlyTheRowsTheServiceRejected() throws Exception {
        PipeName quarantinePipe = PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE_QUARANTINE");
        java.util.function.Predicate<java.util.Map<String, Object>> bad =
                row -> ((Number) row.get("id")).longValue() % 9 == 4;
        service.rejectRows(bad);
        FakeSnowpipe quarantine = new FakeSnowpipe();
        quarantine.rejectRows(bad);
        List<io.snowpiperelay.spi.DeadLetter> letters = new java.util.concurrent.CopyOnWriteArrayList<>();
        InMemorySource a = sourceFor("LIFT_RIDE_0", 200);
        try {
            group = RelayGroup.builder()
                    .config(RunnerTestSupport.fast().quarantineChannels(4).build())
                    .listener(listener)
                    .clientFactory(pipe -> pipe.equals(quarantinePipe) ? quarantine.newClient() : service.newClient())
                    .quarantinePipe(RIDES, quarantinePipe)
                    .channel(RIDES, "LIFT_RIDE_0", a, letters::add, null)
                    .build();
            group.start();

            assertThat(group.awaitDrained(WAIT)).isTrue();
            assertThat(letters).extracting(io.snowpiperelay.spi.DeadLetter::offset)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, 200)
                            .filter(o -> o % 9 == 4).boxed().toList());
            assertThat(letters).allSatisfy(l -> assertThat(l.reason()).startsWith("rejected by the service"));
            assertThat(a.remaining()).isZero();
        } finally {
            quarantine.close();
        }
    }
}
