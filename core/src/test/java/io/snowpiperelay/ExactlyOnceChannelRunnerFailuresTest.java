package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.internal.PortException.Kind;
import io.snowpiperelay.testing.InMemorySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each row of the failure reactions (docs/exactly-once.md, "Failure reactions"), against the fake service. */
class ExactlyOnceChannelRunnerFailuresTest extends RunnerTestSupport {

    @Test
    void channelInvalid_reopensRereadsTheTokenRewindsAndContinues() throws Exception {
        service.pauseCommits();
        source.addRows(500);
        ExactlyOnceChannelRunner runner = start(fast().maxBatchRows(100).maxAppendRows(100).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 500);
        service.commitNext(3);
        service.invalidate(CH);
        await().atMost(WAIT).until(() -> runner.metrics().reopenCount() >= 1);
        service.resumeCommits();

        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 500));
        assertThat(listener.reopenCauses).isNotEmpty();
        assertThat(listener.events).contains("reopened " + CH + " 300");
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void channelInvalid_onAppend_isRecoveredTheSameWay() throws Exception {
        source.addRows(50);
        service.failNextAppends(CH, 1, Kind.CHANNEL_INVALID, "Channel is in an invalid state");
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 50));
        assertThat(runner.metrics().reopenCount()).isEqualTo(1);
    }

    @Test
    void transientFailures_areRetriedWithBackoff() throws Exception {
        source.addRows(20);
        service.failNextOpens(2, Kind.TRANSIENT);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.opens()).isEqualTo(3);
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 20));
    }

    @Test
    void transientFailures_areBounded() {
        source.addRows(20);
        service.failNextOpens(1_000, Kind.TRANSIENT);
        ExactlyOnceChannelRunner runner = start(fast().maxReopenAttempts(4).build());
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
            assertThat(e.attempts()).isEqualTo(4);
            assertThat(e.operation()).isEqualTo("channel open");
        });
        assertThat(service.opens()).isEqualTo(4);
        assertThat(source.deletes()).isEmpty();
    }

    @Test
    void clientInvalid_rebuildsTheClientAndReopens() throws Exception {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        service.invalidateClients();
        source.addRows(100);

        await().atMost(WAIT).until(() -> service.clientsBuilt() == 2);
        await().atMost(WAIT).until(() -> service.committedIds().size() == 200);
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 200));
    }

    @Test
    void authFailureAtOpen_isFatalAtOnceAndNamesTheFix() {
        source.addRows(5);
        service.failNextOpens(1, Kind.AUTH);
        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION))
                .hasMessageContaining("public key").hasMessageContaining("role").hasMessageContaining("grant");
        assertThat(service.opens()).isEqualTo(1);
    }

    @Test
    void authFailureOnAppend_isFatalAtOnce() {
        source.addRows(5);
        service.failNextAppends(CH, 1, Kind.AUTH, "authentication error");
        ExactlyOnceChannelRunner runner = start(fast().build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION));
        assertThat(service.opens()).isEqualTo(1);
        assertThat(source.deletes()).isEmpty();
    }

    @Test
    void missingPipeOrTable_isFatalAtOnceAndNamesTheObject() {
        source.addRows(5);
        service.failNextOpens(1, Kind.NOT_FOUND);
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build())
                .pipe(PipeName.defaultPipeOf("DEMO", "PUBLIC", "LIFT_RIDE")).build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOfSatisfying(RelayHaltedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OBJECT_NOT_FOUND))
                .hasMessageContaining("DEMO.PUBLIC.LIFT_RIDE-STREAMING").hasMessageContaining("<TABLE>-STREAMING");
        assertThat(service.opens()).isEqualTo(1);
    }

    @Test
    void clientBuildFailure_authIsFatalToo() {
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build(), source, () -> {
            throw new io.snowpiperelay.internal.PortException(Kind.AUTH, "SfApiAuthError", "HTTP 401");
        }).build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION));
    }

    @Test
    void killedProcess_theNextRunnerRestoresExactlyOnce() throws Exception {
        KillableClients first = new KillableClients(service);
        service.pauseCommits();
        source.addRows(400);
        ExactlyOnceChannelRunner dying = start(runnerBuilder(fast().maxBatchRows(100).maxAppendRows(100)
                        .closeTimeout(Duration.ofMillis(100)).build(),
                source, first::newClient).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 400);
        service.commitNext(1);                                   // 1..100 committed
        await().atMost(WAIT).until(() -> dying.metrics().deletedOffset() == 100);
        service.commitNext(1);                                   // 101..200 committed, never confirmed to it
        first.kill();                                            // kill -9: it does nothing more

        // What the dead process had flushed may or may not commit later: let the service decide.
        service.resumeCommits();
        ExactlyOnceChannelRunner restarted = start(runnerBuilder(fast().build()).build());
        assertThat(restarted.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 400));
        assertThat(listener.opened).hasSize(2).first().isEqualTo(0L);
        assertThat(listener.opened.get(1)).isBetween(200L, 400L);
        assertThat(source.remaining()).isZero();
        assertThat(source.violations()).isEmpty();
        first.bury();
        dying.close();
        assertThat(dying.state().isTerminal()).isTrue();
    }

    @Test
    void sourceIoErrors_areRetriedWithBackoff() throws Exception {
        source.addRows(30);
        source.failNextReads(2);
        source.failNextDeletes(2);
        ExactlyOnceChannelRunner runner = start(fast().sourceRetryAttempts(5).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 30));
    }

    @Test
    void sourceIoErrors_areFatalAfterTheBoundAndNothingUnconfirmedIsDeleted() {
        source.addRows(30);
        ExactlyOnceChannelRunner runner = start(fast().sourceRetryAttempts(3).build());
        await().atMost(WAIT).until(() -> runner.metrics().deletedOffset() == 30);
        source.failNextReads(1_000);
        source.addRows(10);
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RetriesExhaustedException.class,
                e -> assertThat(e.operation()).contains("source read"));
        assertThat(source.violations()).isEmpty();
        assertThat(source.remainingOffsets()).containsExactlyElementsOf(range(31, 40));
    }

    @Test
    void backpressure_waitsAndRetriesTheSameBatchWithoutReopening() throws Exception {
        source.addRows(200);
        service.backpressure(CH, 3);
        ExactlyOnceChannelRunner runner = start(fast().build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 200));
        assertThat(runner.metrics().backpressureCount()).isEqualTo(3);
        assertThat(runner.metrics().reopenCount()).isZero();
        assertThat(service.opens()).isEqualTo(1);
    }

    @Test
    void backpressure_isBoundedInTime() {
        source.addRows(10);
        service.backpressure(CH, Integer.MAX_VALUE);
        ExactlyOnceChannelRunner runner = start(fast().backpressureTimeout(Duration.ofMillis(50)).build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).isInstanceOf(RetriesExhaustedException.class)
                .hasMessageContaining("saturated");
        assertThat(service.opens()).isEqualTo(1);
    }

    @Test
    void committedTokenGoingBackwards_stopsAndDeletesNothingFurther() {
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(fast().build());
        await().atMost(WAIT).until(() -> runner.metrics().deletedOffset() == 100);
        List<Long> deletesBefore = new ArrayList<>(source.deletes());
        service.pauseCommits();
        service.setCommittedToken(CH, "5");
        source.addRows(10);

        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class, e -> {
            assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.COMMITTED_TOKEN_REGRESSED);
            assertThat(e.previousOffset()).hasValue(100);
            assertThat(e.offset()).hasValue(5);
        });
        assertThat(source.deletes()).allMatch(d -> d <= 100);
        assertThat(source.deletes().size()).isLessThanOrEqualTo(deletesBefore.size() + 1);
    }

    @Test
    void close_drainsWaitsForTheCommitThenDeletes() throws Exception {
        service.pauseCommits();
        source.addRows(50);
        ExactlyOnceChannelRunner runner = start(fast().closeTimeout(Duration.ofSeconds(10)).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 50);
        Thread closer = new Thread(runner::close);
        closer.start();
        awaitState(runner, RunnerState.CLOSING);
        assertThat(source.deletes()).isEmpty();
        service.resumeCommits();
        closer.join(WAIT.toMillis());

        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        assertThat(source.remaining()).isZero();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 50));
    }

    @Test
    void close_isBoundedAndLeavesUnconfirmedRowsInTheSource() {
        service.pauseCommits();
        source.addRows(50);
        ExactlyOnceChannelRunner runner = start(fast().closeTimeout(Duration.ofMillis(200)).build());
        await().atMost(WAIT).until(() -> service.pendingRows(CH) == 50);

        long t0 = System.nanoTime();
        runner.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        assertThat(source.remaining()).isEqualTo(50);
        assertThat(source.deletes()).isEmpty();
        runner.close(); // idempotent
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
    }

    @Test
    void close_beforeRunMarksClosedAndRunIsThenRefused() {
        ExactlyOnceChannelRunner runner = runnerBuilder(fast().build()).build();
        runner.close();
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        org.assertj.core.api.Assertions.assertThatThrownBy(runner::run).isInstanceOf(IllegalStateException.class);
        assertThat(service.clientsBuilt()).isZero();
    }

    @Test
    void close_duringReopenBackoffStopsPromptly() {
        source.addRows(5);
        service.failNextOpens(1_000, Kind.TRANSIENT);
        ExactlyOnceChannelRunner runner = start(fast().reopenBackoffInitial(Duration.ofSeconds(30))
                .reopenBackoffMax(Duration.ofSeconds(30)).build());
        await().atMost(WAIT).until(() -> service.opens() == 1);
        long t0 = System.nanoTime();
        runner.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
    }

    @Test
    void interruptingTheThreadActsLikeClose() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = runnerBuilder(fast().build()).build();
        Thread t = new Thread(runner);
        t.start();
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        t.interrupt();
        t.join(WAIT.toMillis());
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
    }

    @Test
    void aThrowingListenerDoesNotStopTheRunner() throws Exception {
        source.addRows(10);
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).listener(new io.snowpiperelay.spi.RelayListener() {
            @Override
            public void committed(String channel, long committedOffset) {
                throw new IllegalStateException("listener bug");
            }
        }).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactlyElementsOf(range(1, 10));
    }

    @Test
    void aSecondSourceOnTheSameFakeIsIndependent() {
        InMemorySource other = new InMemorySource(() -> service.committedOffset("OTHER"));
        assertThat(other.remaining()).isZero();
    }
}
