package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.testing.FakeSnowpipe;
import io.snowpiperelay.testing.InMemorySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final List<TrackedClient> built = new CopyOnWriteArrayList<>();
    private final SharedClients clients = SharedClients.ofFactory(pipe -> {
        TrackedClient c = new TrackedClient(pipe, service.newClient());
        built.add(c);
        return c;
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
        assertThat(built.get(0).closed).as("closing its runners leaves a shared client open").isFalse();
        assertThat(clients.pipes()).containsExactly(RIDES);

        clients.close();
        assertThat(built.get(0).closed).isTrue();
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
        assertThat(built).extracting(c -> c.pipe).containsExactlyInAnyOrder(RIDES, TICKETS);

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
        assertThat(built.get(0).closed).as("the invalid client is closed when it is replaced").isTrue();
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

    /** Records whether the client was closed; delegates everything else. */
    private static final class TrackedClient implements ClientPort {
        final PipeName pipe;
        private final ClientPort delegate;
        volatile boolean closed;

        TrackedClient(PipeName pipe, ClientPort delegate) {
            this.pipe = pipe;
            this.delegate = delegate;
        }

        @Override
        public OpenedChannel open(String name) {
            return delegate.open(name);
        }

        @Override
        public Map<String, String> latestCommittedTokens(List<String> names) {
            return delegate.latestCommittedTokens(names);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            closed = true;
            delegate.close();
        }
    }
}
