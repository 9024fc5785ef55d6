package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.spi.SourceRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once invariants (docs/exactly-once.md, "The invariants"), each with a test that fails if the runner
 * breaks it.
 */
class ExactlyOnceChannelRunnerTest extends RunnerTestSupport {

    @Test
    void relaysEveryRowExactlyOnceInOrderAndDrainsTheSource() throws Exception {
        source.addRows(5_000);
        ExactlyOnceChannelRunner runner = start(fast().maxBatchRows(700).maxAppendRows(100).build());

        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 5_000));
        assertThat(source.remaining()).isZero();
        assertThat(source.violations()).isEmpty();
        assertThat(service.appendCalls()).isGreaterThanOrEqualTo(50);
        RunnerMetrics m = runner.metrics();
        assertThat(m.committedOffset()).isEqualTo(5_000);
        assertThat(m.deletedOffset()).isEqualTo(5_000);
        assertThat(m.uncommittedRows()).isZero();
        assertThat(m.rowsAppended()).isEqualTo(5_000);
        assertThat(m.state()).isEqualTo(RunnerState.RUNNING);
    }

    @Test
    void keepsRelayingRowsWrittenWhileRunning() throws Exception {
        ExactlyOnceChannelRunner runner = start(fast().build());
        for (int i = 0; i < 10; i++) {
            source.addRows(100);
        }
        await().atMost(WAIT).until(() -> service.committedIds().size() == 1_000);
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 1_000));
    }

    @Test
    void invariant1_resumesRightAfterTheCommittedToken() throws Exception {
        // A crash after the commit of 1..10 but before their delete: they are still in the outbox.
        source.addRows(20);
        service.setCommittedToken(CH, "10");

        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedIds()).containsExactlyElementsOf(range(11, 20));
        assertThat(listener.opened).containsExactly(10L);
        assertThat(source.remaining()).isZero();
    }

    @Test
    void invariant1_appendsAgainWhatWasAppendedButNotCommittedBeforeAReopen() {
        service.pauseCommits();
        source.addRows(300);
        ExactlyOnceChannelRunner runner = start(fast().maxBatchRows(50).maxAppendRows(50).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 300);
        service.commitNext(2);          // 1..100 committed
        service.invalidate(CH);         // 101..300 dropped with the instance

        await().atMost(WAIT).until(() -> runner.metrics().reopenCount() == 1);
        service.resumeCommits();
        await().atMost(WAIT).until(() -> service.committedIds().size() == 300);

        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 300));
        assertThat(listener.opened).containsExactly(0L, 100L);
    }

    @Test
    void invariant2_deletesNothingOnAppendReturnOnlyWhatIsConfirmed() {
        service.pauseCommits();
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(fast().maxBatchRows(25).maxAppendRows(25).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 100);
        int polls = service.statusReads();
        await().atMost(WAIT).until(() -> service.statusReads() > polls + 5);

        assertThat(source.deletes()).isEmpty();
        assertThat(source.remaining()).isEqualTo(100);

        service.commitNext(1);          // 1..25
        await().atMost(WAIT).until(() -> runner.metrics().deletedOffset() == 25);
        assertThat(source.remainingOffsets()).first().isEqualTo(26L);
        service.resumeCommits();
        await().atMost(WAIT).until(() -> source.remaining() == 0);
        assertThat(source.violations()).isEmpty();
        assertThat(source.deletes()).allMatch(d -> d <= 100).isSorted();
    }

    @Test
    void invariant3_tokensAreComparedAsNumbersNotStrings() throws Exception {
        // "9" > "10" as strings: a string comparison would take 10 for a regression or skip it.
        source.addRows(12);
        service.setCommittedToken(CH, "9");

        ExactlyOnceChannelRunner runner = start(fast().maxAppendRows(1).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedIds()).containsExactly(10L, 11L, 12L);
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(listener.committed).startsWith(9L).endsWith(12L).isSorted();
    }

    @Test
    void invariant3_aTokenThatIsNotADecimalOffsetIsFatalAndNamesChannelAndToken() {
        source.addRows(5);
        service.setCommittedToken(CH, "abc");

        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitFailed(runner);

        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.INVALID_OFFSET_TOKEN);
            assertThat(e.channel()).isEqualTo(CH);
            assertThat(e.token()).contains("abc");
            assertThat(e.getMessage()).contains(CH).contains("'abc'");
        });
        assertThat(source.deletes()).isEmpty();
        assertThat(service.appendCalls()).isZero();
        assertThat(listener.fatals).hasSize(1);
    }

    @Test
    void invariant4_offsetsOutOfOrderAreFatalBeforeAnythingOfTheBatchIsSent() {
        source.put(SourceRecord.ofJson(1, "{\"id\":1}"));
        source.put(SourceRecord.ofJson(2, "{\"id\":2}"));
        ExactlyOnceChannelRunner runner = start(fast().build());
        await().atMost(WAIT).until(() -> service.committedIds().size() == 2);

        // A broken source hands back 5 then 4 in one batch.
        InMemorySourceWithRawBatch broken = new InMemorySourceWithRawBatch(
                SourceRecord.ofJson(3, "{\"id\":3}"), SourceRecord.ofJson(5, "{\"id\":5}"),
                SourceRecord.ofJson(4, "{\"id\":4}"));
        runner.close();
        ExactlyOnceChannelRunner second = start(runnerBuilder(fast().build(), broken, service::newClient).build());
        awaitFailed(second);

        assertThat(second.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OFFSET_ORDER);
            assertThat(e.previousOffset()).hasValue(5);
            assertThat(e.offset()).hasValue(4);
            assertThat(e.getMessage()).contains("offset 4 after offset 5");
        });
        assertThat(service.pendingRows(CH)).isZero();
        assertThat(service.committedIds()).containsExactly(1L, 2L);
    }

    @Test
    void invariant4_anOffsetNotAboveTheResumePointIsFatal() {
        service.setCommittedToken(CH, "10");
        InMemorySourceWithRawBatch broken = new InMemorySourceWithRawBatch(SourceRecord.ofJson(10, "{\"id\":10}"));
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build(), broken, service::newClient).build());
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OFFSET_ORDER));
        assertThat(service.appendCalls()).isZero();
    }

    @Test
    void invariant4_offsetZeroIsFatal() {
        InMemorySourceWithRawBatch broken = new InMemorySourceWithRawBatch(SourceRecord.ofJson(0, "{\"id\":0}"));
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build(), broken, service::newClient).build());
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OFFSET_ORDER));
        assertThat(service.appendCalls()).isZero();
    }

    @Test
    void invariant5_theServicesStaleSequencerCodeStopsTheRunnerAtOnceWithoutReopening() {
        source.addRows(10);
        service.competingWriter(CH, true);

        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitFailed(runner);

        assertThat(runner.failure()).get().isInstanceOfSatisfying(ChannelFencedException.class, e -> {
            assertThat(e.channel()).isEqualTo(CH);
            assertThat(e.getMessage()).contains("another writer took channel " + CH)
                    .contains("STALE_CONTINUATION_TOKEN_SEQUENCER").contains("Run one writer per channel");
        });
        assertThat(service.opens()).isEqualTo(1);
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(source.deletes()).isEmpty();
    }

    @Test
    void invariant5_anIdleNewWriterKeepsTheChannelAndTheFirstStopsWithoutTakingItBack() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();

        service.anotherWriterOpens(CH);       // the newcomer opens the channel and then sends nothing
        long newcomersSequencer = service.sequencer(CH);
        source.addRows(5);                    // our next append (or status read) meets the stale sequencer
        awaitFailed(runner);

        assertThat(runner.failure().orElseThrow()).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("another writer took channel " + CH)
                .hasMessageContaining("STALE_CONTINUATION_TOKEN_SEQUENCER");
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(service.opens()).as("the first never reopens").isEqualTo(1);
        assertThat(service.sequencer(CH)).as("the newcomer's instance stays valid").isEqualTo(newcomersSequencer);
        assertThat(listener.events).noneMatch(e -> e.startsWith("reopened"));
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 10));
        assertThat(source.deletes()).allMatch(d -> d <= 10);
    }

    @Test
    void invariant5_aSingleStaleSequencerLongAfterOpeningStillFencesAtOnce() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(fast().fencingWindow(Duration.ofMillis(20)).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        service.failNextAppends(CH, 1, io.snowpiperelay.internal.PortException.Kind.CHANNEL_INVALID,
                "HTTP 400, error_code=STALE_CONTINUATION_TOKEN_SEQUENCER, message=stale");
        source.addRows(10);

        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOf(ChannelFencedException.class);
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(service.opens()).isEqualTo(1);
    }

    @Test
    void invariant5_aServiceRestartIsAPlainInvalidationThatIsReopenedAndRewound() throws Exception {
        source.addRows(10);
        // What the service answers an instance opened before it restarted: no stale-sequencer code.
        service.failNextAppends(CH, 1, io.snowpiperelay.internal.PortException.Kind.CHANNEL_INVALID,
                "HTTP 400, error_code=ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP, message=restarted");
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(runner.metrics().reopenCount()).isEqualTo(1);
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 10));
    }

    @Test
    void invariant5_repeatedQuickInvalidationsMeanFencedAndTheRunnerDoesNotFightBack() {
        source.addRows(10);
        service.competingWriter(CH, false);

        ExactlyOnceChannelRunner runner = start(fast().fencingReopenLimit(3).fencingWindow(Duration.ofMinutes(1)).build());
        awaitFailed(runner);

        assertThat(runner.failure().orElseThrow()).isInstanceOf(ChannelFencedException.class)
                .hasMessageContaining("invalidated 3 time(s) in a row");
        assertThat(service.opens()).isEqualTo(3);
        int opens = service.opens();
        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(service.opens()).isEqualTo(opens);
    }

    @Test
    void invariant6_aCommittedTokenAboveTheSourcesHighestOffsetRefusesToStartAndDeletesNothing() {
        source.addRows(100);
        service.setCommittedToken(CH, "500");

        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitFailed(runner);

        assertThat(runner.failure()).get().isInstanceOfSatisfying(SourceRegressionException.class, e -> {
            assertThat(e.committedOffset()).isEqualTo(500);
            assertThat(e.highestIssuedOffset()).isEqualTo(100);
            assertThat(e.getMessage()).contains(CH).contains("500").contains("100").contains("in-memory test outbox");
        });
        assertThat(source.deletes()).isEmpty();
        assertThat(source.reads()).isZero();
        assertThat(service.appendCalls()).isZero();
    }

    @Test
    void invariant6_isSkippedWhenTheSourceCannotTell() throws Exception {
        source.addRows(3);
        source.reportHighestIssued(false);
        service.setCommittedToken(CH, "2");
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactly(3L);
    }

    @Test
    void invariant7_readingPausesAtMaxUncommittedRowsUntilCommitsCatchUp() throws Exception {
        service.pauseCommits();
        source.addRows(1_000);
        ExactlyOnceChannelRunner runner = start(fast().maxBatchRows(30).maxUncommittedRows(100).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 100);
        int polls = service.statusReads();
        int calls = service.appendCalls();
        await().atMost(WAIT).until(() -> service.statusReads() > polls + 10);

        assertThat(service.pendingRows(CH)).isEqualTo(100);
        assertThat(service.appendCalls()).isEqualTo(calls);
        assertThat(runner.metrics().uncommittedRows()).isEqualTo(100);
        assertThat(runner.metrics().commitLag()).isPositive();

        service.resumeCommits();
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 1_000));
    }

    @Test
    void invariant7_bytesInFlightStayBoundedToo() throws Exception {
        service.pauseCommits();
        source.addRows(2_000); // about 30 bytes each
        RunnerConfig config = fast().maxAppendBytes(1_024).maxUncommittedBytes(4_096).build();
        ExactlyOnceChannelRunner runner = start(config);
        await().atMost(WAIT).until(() -> runner.metrics().uncommittedBytes() > 3_000);
        int polls = service.statusReads();
        await().atMost(WAIT).until(() -> service.statusReads() > polls + 10);

        assertThat(runner.metrics().uncommittedBytes()).isLessThanOrEqualTo(4_096);
        assertThat(service.pendingRows(CH)).isLessThan(200);

        service.resumeCommits();
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 2_000));
    }

    @Test
    void eachAppendRowsCallRespectsTheRowAndByteCaps() throws Exception {
        AppendSizeRecorder sizes = new AppendSizeRecorder(service);
        source.addRows(1_000);
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().maxAppendRows(64).maxAppendBytes(1_024).build(),
                source, sizes::newClient).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(sizes.maxRows()).isLessThanOrEqualTo(64);
        assertThat(sizes.maxBytes()).isLessThanOrEqualTo(1_024);
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 1_000));
    }

    @Test
    void runTwiceIsRefused() {
        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitState(runner, RunnerState.RUNNING);
        assertThatThrownBy(runner::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("run()");
    }
}
