package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.testing.InMemorySource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Rows the relay cannot send (dead letters) and rows the service rejects (row errors). */
class ExactlyOnceChannelRunnerRowsTest extends RunnerTestSupport {

    @Test
    void unsendableRecordsGoToTheDeadLetterHandlerBeforeTheirOffsetCanBeDeleted() throws Exception {
        List<Long> maxDeletedWhenDeadLettered = new CopyOnWriteArrayList<>();
        source.addRows(4);                                                     // 1..4
        long notJson = source.addJson("{not json");                            // 5
        long notObject = source.addJson("[1,2,3]");                            // 6
        long tooBig = source.addJson("{\"id\":7,\"v\":\"" + "x".repeat(600) + "\"}"); // 7
        source.addRows(3);                                                     // 8..10
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().maxRowBytes(512).build())
                .deadLetterHandler(letter -> {
                    maxDeletedWhenDeadLettered.add(source.deletes().stream().mapToLong(Long::longValue).max().orElse(0));
                    deadLetters.add(letter);
                }).build());

        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(deadLetters).extracting(DeadLetter::offset).containsExactly(notJson, notObject, tooBig);
        assertThat(deadLetters.get(0).reason()).startsWith("payload is not valid JSON");
        assertThat(deadLetters.get(1).reason()).startsWith("payload is not a JSON object");
        assertThat(deadLetters.get(2).reason()).contains("above maxRowBytes 512");
        assertThat(deadLetters.get(0).payload()).isEqualTo("{not json");
        assertThat(deadLetters.get(0).channel()).isEqualTo(CH);
        for (int i = 0; i < deadLetters.size(); i++) {
            assertThat(maxDeletedWhenDeadLettered.get(i)).isLessThan(deadLetters.get(i).offset());
        }
        assertThat(service.committedIds()).containsExactly(1L, 2L, 3L, 4L, 8L, 9L, 10L);
        assertThat(source.remaining()).isZero();
        assertThat(runner.metrics().deadLetterCount()).isEqualTo(3);
    }

    @Test
    void withoutAHandlerAnUnsendableRecordStopsTheRunnerAndIsNeverDropped() {
        source.addRows(3);
        long bad = source.addJson("nope");
        source.addRows(3);
        ExactlyOnceChannelRunner runner = start(ExactlyOnceChannelRunner.builder().channelName(CH).source(source)
                .config(fast().build()).listener(listener).clientFactory(service::newClient).build());
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(UndeliverableRecordException.class, e -> {
            assertThat(e.offset()).isEqualTo(bad);
            assertThat(e.getMessage()).contains("deadLetterHandler");
        });
        assertThat(source.remainingOffsets()).contains(bad);
        assertThat(source.deletes()).allMatch(d -> d < bad);
    }

    @Test
    void aSourceThatIsADeadLetterHandlerIsUsedByDefault() throws Exception {
        class OutboxWithDeadLetters extends InMemorySource implements DeadLetterHandler {
            final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

            OutboxWithDeadLetters() {
                super(() -> service.committedOffset(CH));
            }

            @Override
            public void handle(DeadLetter deadLetter) {
                letters.add(deadLetter);
            }
        }
        OutboxWithDeadLetters outbox = new OutboxWithDeadLetters();
        outbox.addRows(2);
        long bad = outbox.addJson("42");
        outbox.addRows(2);
        ExactlyOnceChannelRunner runner = start(ExactlyOnceChannelRunner.builder().channelName(CH).source(outbox)
                .config(fast().build()).clientFactory(service::newClient).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(outbox.letters).extracting(DeadLetter::offset).containsExactly(bad);
        assertThat(service.committedIds()).containsExactly(1L, 2L, 4L, 5L);
    }

    @Test
    void aFailingDeadLetterHandlerStopsTheRunner() {
        source.addRows(1);
        source.addJson("x");
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).deadLetterHandler(l -> {
            throw new IllegalStateException("dead-letter table is read-only");
        }).build());
        awaitFailed(runner);
        assertThat(runner.failure().orElseThrow()).hasMessageContaining("read-only");
    }

    @Test
    void rowErrorsAreReportedAsDeltasFromTheSnapshotAtOpenAndNoRejectedRowIsLostWithoutAQuarantine()
            throws Exception {
        service.addRowErrors(CH, 5, "0");   // before this runner: not reported
        service.rejectRows(row -> ((Number) row.get("id")).longValue() % 10 == 0);
        List<Long> maxDeletedWhenDeadLettered = new CopyOnWriteArrayList<>();
        source.addRows(100);
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).deadLetterHandler(letter -> {
            maxDeletedWhenDeadLettered.add(source.deletes().stream().mapToLong(Long::longValue).max().orElse(0));
            deadLetters.add(letter);
        }).build());

        assertThat(runner.awaitDrained(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> listener.rowErrors.get() == 10);
        assertThat(runner.metrics().rowErrorCount()).isEqualTo(10);
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(source.remaining()).isZero();
        assertThat(service.committedIds()).hasSize(90);
        // No quarantine pipe: every row of a range with rejected rows is kept, marked as possibly landed.
        List<Long> kept = deadLetters.stream().map(DeadLetter::offset).toList();
        assertThat(kept).contains(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L).doesNotHaveDuplicates();
        assertThat(deadLetters).allSatisfy(l -> assertThat(l.reason()).startsWith(DeadLetter.MAY_HAVE_LANDED));
        for (int i = 0; i < deadLetters.size(); i++) {
            assertThat(maxDeletedWhenDeadLettered.get(i)).as("deleted before dead-lettered")
                    .isLessThan(deadLetters.get(i).offset());
        }
    }

    @Test
    void withAQuarantinePipeExactlyTheRejectedRowsGoToTheDeadLettersWithTheServicesReason() throws Exception {
        java.util.function.Predicate<java.util.Map<String, Object>> bad =
                row -> ((Number) row.get("id")).longValue() % 7 == 3;
        service.rejectRows(bad);
        io.snowpiperelay.testing.FakeSnowpipe quarantine = new io.snowpiperelay.testing.FakeSnowpipe();
        quarantine.rejectRows(bad);
        List<Long> maxDeletedWhenDeadLettered = new CopyOnWriteArrayList<>();
        source.addRows(300);
        try {
            ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().quarantineChannels(4).build())
                    .quarantineClientFactory(quarantine::newClient)
                    .deadLetterHandler(letter -> {
                        maxDeletedWhenDeadLettered.add(
                                source.deletes().stream().mapToLong(Long::longValue).max().orElse(0));
                        deadLetters.add(letter);
                    }).build());

            assertThat(runner.awaitDrained(WAIT)).isTrue();
            List<Long> rejected = range(1, 300).stream().filter(o -> o % 7 == 3).toList();
            assertThat(deadLetters).extracting(DeadLetter::offset).containsExactlyInAnyOrderElementsOf(rejected);
            assertThat(deadLetters).allSatisfy(l -> assertThat(l.reason())
                    .startsWith("rejected by the service: Numeric value 'secret' is not recognized"));
            assertThat(service.committedIds()).hasSize(300 - rejected.size()).doesNotHaveDuplicates();
            assertThat(source.remaining()).isZero();
            assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
            for (int i = 0; i < deadLetters.size(); i++) {
                assertThat(maxDeletedWhenDeadLettered.get(i)).as("deleted before dead-lettered")
                        .isLessThan(deadLetters.get(i).offset());
            }
        } finally {
            quarantine.close();
        }
    }

    @Test
    void rowsLeftBelowTheCommittedTokenByAKilledRelayAreCheckedAgainBeforeTheyAreDeleted() throws Exception {
        // What a relay killed while settling leaves behind: the token moved past offsets 1..50, rows 10, 20, ..., 50
        // were rejected (the count says so), and nothing of them was deleted.
        java.util.function.Predicate<java.util.Map<String, Object>> bad =
                row -> ((Number) row.get("id")).longValue() % 10 == 0;
        source.addRows(80);
        service.setCommittedToken(CH, "50");
        service.addRowErrors(CH, 5, "50");
        service.rejectRows(bad);
        io.snowpiperelay.testing.FakeSnowpipe quarantine = new io.snowpiperelay.testing.FakeSnowpipe();
        quarantine.rejectRows(bad);
        try {
            ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().quarantineChannels(4).build())
                    .quarantineClientFactory(quarantine::newClient).build());

            assertThat(runner.awaitDrained(WAIT)).isTrue();
            assertThat(deadLetters).extracting(DeadLetter::offset)
                    .containsExactlyInAnyOrder(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L);
            assertThat(deadLetters).allSatisfy(l -> assertThat(l.reason()).startsWith("rejected by the service"));
            assertThat(service.committedIds()).as("only rows after the committed token are sent again")
                    .allMatch(id -> id > 50).hasSize(27);
            assertThat(source.remaining()).isZero();
        } finally {
            quarantine.close();
        }
    }

    @Test
    void rowErrorPolicyStopStopsWithTheFactsButNotTheRowValuesInTheMessage() {
        service.rejectRows(row -> ((Number) row.get("id")).longValue() == 3);
        source.addRows(5);
        ExactlyOnceChannelRunner runner = start(fast().rowErrorPolicy(RowErrorPolicy.STOP).build());
        awaitFailed(runner);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RowErrorsException.class, e -> {
            assertThat(e.newErrorCount()).isEqualTo(1);
            assertThat(e.lastErrorMessage()).contains("secret");
            assertThat(e.getMessage()).doesNotContain("secret").contains(CH).contains("STOP");
        });
    }
}
