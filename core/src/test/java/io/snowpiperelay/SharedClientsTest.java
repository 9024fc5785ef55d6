package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.testing.FakeSnowpipe;
import io.snowpiperelay.testing.InMemorySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runners built on {@link SharedClients} that start and stop at different times share one client per pipe, never
 * close it, and lose nothing when the SDK declares it invalid.
 */
class SharedClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final PipeName RIDES = PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE");
    private static final PipeName TICKETS = PipeName.defaultPipeOf("DEMO", "PUBLIC", "TICKET");

    private final FakeSnowpipe service = new FakeSnowpipe();
    private final List<PipeName> built = new CopyOnWriteArrayList<>();
    private final SharedClients clients = SharedClients.ofFactory(pipe -> {
        built.add(pipe);
        return service.newClient();
    });
    private final List<ExactlyOnceChannelRunner> runners = new ArrayList<>();

    @AfterEach
    void tearDown() {
        runners.forEach(ExactlyOnceChannelRunner::close);
        clients.close();
        service.close();
    }

    private InMemorySource source(String channel, int rows) {
        InMemorySource s = new InMemorySource(() -> service.committedOffset(channel));
        s.addRows(rows);
        return s;
    }

    private ExactlyOnceChannelRunner start(PipeName pipe, String channel, InMemorySource source) {
        ExactlyOnceChannelRunner runner = ExactlyOnceChannelRunner.builder()
                .channelName(channel)
                .source(source)
                .pipe(pipe)
                .config(RunnerTestSupport.fast().build())
                .sharedClients(clients)
                .build();
        runners.add(runner);
        Thread t = new Thread(runner, "shared-" + channel);
        t.setDaemon(true);
        t.start();
        return runner;
    }

    @Test
    void runnersThatComeAndGoOnOnePipeShareOneClientWhichOnlyTheSharedClientsClose() throws Exception {
        InMemorySource first = source("LIFT_RIDE_P0", 300);
        ExactlyOnceChannelRunner r0 = start(RIDES, "LIFT_RIDE_P0", first);
        assertThat(r0.awaitDrained(WAIT)).isTrue();

        InMemorySource second = source("LIFT_RIDE_P1", 200);
        ExactlyOnceChannelRunner r1 = start(RIDES, "LIFT_RIDE_P1", second);
        r0.close(); // a partition released while another keeps running on the same client
        assertThat(r0.state()).isEqualTo(RunnerState.CLOSED);
        second.addRows(100);
        assertThat(r1.awaitDrained(WAIT)).isTrue();

        // and the released partition claimed again later: a new runner, the same client
        first.addRows(50);
        ExactlyOnceChannelRunner r0again = start(RIDES, "LIFT_RIDE_P0", first);
        assertThat(r0again.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedRows()).hasSize(650);
        assertThat(first.remaining() + second.remaining()).isZero();
        assertThat(first.violations()).isEmpty();
        assertThat(second.violations()).isEmpty();
        assertThat(built).hasSize(1);
        assertThat(service.clientsBuilt()).isEqualTo(1);
        r1.close();
        r0again.close();
        assertThat(service.clientsClosed()).as("closing its runners leaves a shared client open").isZero();
        assertThat(clients.pipes()).containsExactly(RIDES);

        clients.close();
        assertThat(service.clientsClosed()).isEqualTo(1);
        clients.close(); // idempotent
        assertThatThrownBy(() -> ExactlyOnceChannelRunner.builder().channelName("LIFT_RIDE_P2")
                .source(source("LIFT_RIDE_P2", 1)).pipe(RIDES).sharedClients(clients).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void eachPipeHasItsOwnClientAndTheQuarantinePipeToo() throws Exception {
        InMemorySource rides = source("LIFT_RIDE_P0", 100);
        InMemorySource tickets = source("TICKET_P0", 100);
        ExactlyOnceChannelRunner r = start(RIDES, "LIFT_RIDE_P0", rides);
        ExactlyOnceChannelRunner t = start(TICKETS, "TICKET_P0", tickets);
        assertThat(r.awaitDrained(WAIT)).isTrue();
        assertThat(t.awaitDrained(WAIT)).isTrue();
        assertThat(built).containsExactlyInAnyOrder(RIDES, TICKETS);

        PipeName quarantine = PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE_QUARANTINE");
        ExactlyOnceChannelRunner.builder().channelName("LIFT_RIDE_P1").source(source("LIFT_RIDE_P1", 0))
                .pipe(RIDES).quarantinePipe(quarantine).sharedClients(clients).build();
        assertThat(clients.pipes()).containsExactlyInAnyOrder(RIDES, TICKETS, quarantine);
    }

    @Test
    void anInvalidSharedClientIsRebuiltOnceAndEveryRunnerGoesOnWithoutLosingARow() throws Exception {
        List<InMemorySource> sources = new ArrayList<>();
        List<ExactlyOnceChannelRunner> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            InMemorySource s = source("LIFT_RIDE_P" + i, 100);
            sources.add(s);
            started.add(start(RIDES, "LIFT_RIDE_P" + i, s));
        }
        for (ExactlyOnceChannelRunner r : started) {
            assertThat(r.awaitDrained(WAIT)).isTrue();
        }
        service.invalidateClients();
        sources.forEach(s -> s.addRows(100));

        await().atMost(WAIT).until(() -> service.committedRows().size() >= 600);
        for (ExactlyOnceChannelRunner r : started) {
            assertThat(r.awaitDrained(WAIT)).isTrue();
        }
        assertThat(service.committedRows()).hasSize(600); // no row twice
        for (int i = 0; i < 3; i++) {
            assertThat(service.committedOffset("LIFT_RIDE_P" + i)).isEqualTo(200);
            assertThat(sources.get(i).remaining()).isZero();
        }
        assertThat(built).hasSize(2);
        assertThat(service.clientsClosed()).as("the invalid client is closed when it is replaced").isEqualTo(1);
        sources.forEach(s -> assertThat(s.violations()).isEmpty());
    }

    @Test
    void aRunnerOnSharedClientsRefusesSettingsThatBelongToTheClients() {
        ExactlyOnceChannelRunner.Builder base = ExactlyOnceChannelRunner.builder().channelName("LIFT_RIDE_P0")
                .source(source("LIFT_RIDE_P0", 1)).sharedClients(clients);
        assertThatThrownBy(base::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipe = null");
        assertThatThrownBy(() -> base.pipe(RIDES).clientName("mine").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientName").hasMessageContaining("set one");
        assertThatThrownBy(() -> SharedClients.of(null, "relay-fleet-a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
        assertThat(built).isEmpty();
    }
}
