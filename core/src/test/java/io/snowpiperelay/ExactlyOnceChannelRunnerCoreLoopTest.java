package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.testing.GatedSource;
import io.snowpiperelay.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The findings of issue #19 about the core loop, each with a test that fails without its fix: drained too early
 * after a reopen, deletes on open for a source that cannot vouch for its range, committed tokens from another
 * writer, the regression check's clocks, and the state after an interrupt.
 */
class ExactlyOnceChannelRunnerCoreLoopTest extends RunnerTestSupport {

    @Test
    void drainedIsNotReportedWhileRowsRewoundByAReopenAreStillToBeSent() throws Exception {
        service.pauseCommits();
        source.addRows(100);
        GatedSource gated = new GatedSource(source);
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build(), gated, service::newClient)
                .listener(new RelayListener() {
                    @Override
                    public void reopened(String channel, long resumeAfterOffset, Throwable cause) {
                        gated.close(); // hold the first read after the rewind
                    }
                }).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 100);
        int reads = source.reads();
        await().atMost(WAIT).until(() -> source.reads() > reads + 2); // the source ran empty

        service.invalidate(CH); // drops the 100 uncommitted rows with the instance
        assertThat(gated.awaitHeldReader(WAIT.toSeconds())).isTrue();

        assertThat(runner.metrics().reopenCount()).isEqualTo(1);
        assertThat(runner.isDrained()).as("rows 1..100 were rewound and are still to be sent").isFalse();
        assertThat(runner.awaitDrained(Duration.ofMillis(50))).isFalse();

        gated.open();
        service.resumeCommits();
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 100));
        assertThat(source.remaining()).isZero();
    }

    @Test
    void aSourceThatCannotVouchForItsRangeGetsNoDeleteOnOpenAndOneWarning() throws Exception {
        // A custom source recreated from scratch: offsets restarted at 1, and it cannot tell what it ever issued.
        source.reportHighestIssued(false);
        source.addRows(10);
        service.setCommittedToken(CH, "500");

        try (LogCapture log = new LogCapture("io.snowpiperelay.ExactlyOnceChannelRunner")) {
            ExactlyOnceChannelRunner runner = start(fast().build());
            await().atMost(WAIT).until(() -> source.reads() > 2); // past the open, in the loop
            service.invalidate(CH);
            await().atMost(WAIT).until(() -> runner.metrics().reopenCount() == 1);
            int reads = source.reads();
            await().atMost(WAIT).until(() -> source.reads() > reads + 2); // past the reopen too

            assertThat(source.deletes()).as("rows this runner never saw committed stay").isEmpty();
            assertThat(source.remainingOffsets()).containsExactlyElementsOf(range(1, 10));
            assertThat(runner.metrics().committedOffset()).isEqualTo(500);
            assertThat(runner.metrics().deletedOffset()).isZero();
            assertThat(runner.awaitDrained(WAIT)).as("nothing left that this runner may send or delete").isTrue();
            assertThat(log.warnings()).filteredOn(w -> w.contains("highestIssuedOffset")).singleElement()
                    .asString().contains(CH).contains("500").contains("in-memory test outbox");
        }
    }

    @Test
    void aSourceThatCanVouchForItsRangeIsStillCleanedUpOnOpen() {
        // A crash after the commit of 1..10 but before their delete: the source says it issued 20.
        source.addRows(20);
        service.setCommittedToken(CH, "10");
        service.pauseCommits();
        ExactlyOnceChannelRunner runner = start(fast().build());
        await().atMost(WAIT).until(() -> runner.metrics().deletedOffset() == 10);
        assertThat(source.deletes()).containsExactly(10L);
        assertThat(service.committedIds()).isEmpty();
    }

    @Test
    void aCommittedTokenAboveWhatThisRunnerAppendedMeansAnotherWriterAndIsNeverDeletedOn() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        // Another writer opens the channel and commits 1000; our idle instance's status shows its token.
        service.anotherWriterCommits(CH, "1000");
        awaitFailed(runner);

        assertThat(runner.failure().orElseThrow()).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("another writer took channel " + CH).hasMessageContaining("1000")
                .hasMessageContaining("10");
        assertThat(source.deletes()).allMatch(d -> d <= 10);
        assertThat(listener.committed).allMatch(c -> c <= 10);
        assertThat(runner.metrics().reopenCount()).isZero();
    }

    @Test
    void aStaleStatusStampedByAClockAheadOfOursIsNotARegression() throws Exception {
        service.sdkClockSkew(Duration.ofHours(1));
        source.addRows(120);
        service.setCommittedToken(CH, "90");
        service.freezeStatus(CH);               // the SDK's cache keeps serving a status from before the open
        service.setCommittedToken(CH, "100");   // the open itself reports 100

        ExactlyOnceChannelRunner runner = start(fast().build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 0 && listener.appendedRows.get() == 20);
        int polls = service.statusReads();
        await().atMost(WAIT).until(() -> service.statusReads() > polls + 5);
        assertThat(runner.failure()).isEmpty();
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);

        service.unfreezeStatus(CH);
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(101, 120));
    }

    @Test
    void aRealRegressionStampedByAClockBehindOursIsCaught() throws Exception {
        service.sdkClockSkew(Duration.ofHours(-1));
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        service.setCommittedToken(CH, "5"); // someone resets the channel
        awaitFailed(runner);

        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.COMMITTED_TOKEN_REGRESSED);
            assertThat(e.previousOffset()).hasValue(10);
            assertThat(e.offset()).hasValue(5);
        });
        assertThat(source.deletes()).allMatch(d -> d <= 10);
    }

    @Test
    void anInterruptMovesTheStateToClosingLikeClose() throws Exception {
        source.addRows(10);
        AtomicReference<ExactlyOnceChannelRunner> holder = new AtomicReference<>();
        AtomicReference<RunnerState> stateWhenChannelClosed = new AtomicReference<>();
        ExactlyOnceChannelRunner runner = runnerBuilder(fast().build(), source,
                () -> recordingStateOnClose(service.newClient(), holder, stateWhenChannelClosed)).build();
        holder.set(runner);
        Thread t = new Thread(runner, "runner-to-interrupt");
        t.setDaemon(true);
        t.start();
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        t.interrupt();
        t.join(WAIT.toMillis());

        assertThat(stateWhenChannelClosed.get()).as("state while the interrupted runner closes its channel")
                .isEqualTo(RunnerState.CLOSING);
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
    }

    private static ClientPort recordingStateOnClose(ClientPort inner, AtomicReference<ExactlyOnceChannelRunner> runner,
                                                    AtomicReference<RunnerState> stateOnClose) {
        return new ClientPort() {
            @Override
            public OpenedChannel open(String name) {
                OpenedChannel o = inner.open(name);
                ChannelPort c = o.channel();
                return new OpenedChannel(new ChannelPort() {
                    @Override
                    public String name() {
                        return c.name();
                    }

                    @Override
                    public void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken) {
                        c.appendRows(rows, firstToken, lastToken);
                    }

                    @Override
                    public ChannelStatusView status() {
                        return c.status();
                    }

                    @Override
                    public void close(Duration flushTimeout) {
                        stateOnClose.compareAndSet(null, runner.get().state());
                        c.close(flushTimeout);
                    }
                }, o.status());
            }

            @Override
            public Map<String, String> latestCommittedTokens(List<String> names) {
                return inner.latestCommittedTokens(names);
            }

            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
