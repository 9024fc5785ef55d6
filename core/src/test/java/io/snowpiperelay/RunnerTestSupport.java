package io.snowpiperelay;

import static org.awaitility.Awaitility.await;

import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.testing.FakeSnowpipe;
import io.snowpiperelay.testing.InMemorySource;
import io.snowpiperelay.testing.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;

/** Shared set-up for runner tests: a fake service, a source checked against it, fast settings. */
abstract class RunnerTestSupport {
    static final String CH = "LIFT_RIDE_1";
    static final Duration WAIT = Duration.ofSeconds(15);

    final FakeSnowpipe service = new FakeSnowpipe();
    final InMemorySource source = new InMemorySource(() -> service.committedOffset(CH));
    final RecordingListener listener = new RecordingListener();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final DeadLetterHandler deadLetterHandler = deadLetters::add;
    private final List<ExactlyOnceChannelRunner> started = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    static RunnerConfig.Builder fast() {
        return RunnerConfig.builder()
                .commitPollInterval(Duration.ofMillis(5))
                .idleBackoffInitial(Duration.ofMillis(1))
                .idleBackoffMax(Duration.ofMillis(5))
                .reopenBackoffInitial(Duration.ofMillis(1))
                .reopenBackoffMax(Duration.ofMillis(5))
                .sourceRetryBackoffMax(Duration.ofMillis(5))
                .backpressureBackoffMax(Duration.ofMillis(5))
                .closeTimeout(Duration.ofSeconds(5));
    }

    ExactlyOnceChannelRunner.Builder runnerBuilder(RunnerConfig config) {
        return runnerBuilder(config, source, service::newClient);
    }

    ExactlyOnceChannelRunner.Builder runnerBuilder(RunnerConfig config, OffsetSource src, Supplier<ClientPort> clients) {
        return ExactlyOnceChannelRunner.builder()
                .channelName(CH)
                .source(src)
                .config(config)
                .listener(listener)
                .deadLetterHandler(deadLetterHandler)
                .clientFactory(clients);
    }

    ExactlyOnceChannelRunner start(ExactlyOnceChannelRunner runner) {
        Thread t = new Thread(runner, "runner-under-test");
        t.setDaemon(true);
        started.add(runner);
        threads.add(t);
        t.start();
        return runner;
    }

    ExactlyOnceChannelRunner start(RunnerConfig config) {
        return start(runnerBuilder(config).build());
    }

    static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    void awaitState(ExactlyOnceChannelRunner runner, RunnerState state) {
        await().atMost(WAIT).until(() -> runner.state() == state);
    }

    void awaitFailed(ExactlyOnceChannelRunner runner) {
        awaitState(runner, RunnerState.FAILED);
    }

    @AfterEach
    void tearDown() {
        for (ExactlyOnceChannelRunner r : started) {
            r.close();
        }
        service.close();
    }
}
