package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RowErrorPolicy;
import io.snowpiperelay.RowErrorsException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.guarantees.harness.Emulators;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.Keys;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.testkit.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one test per kind: each gets a clear error or a dead-letter entry with its offset and reason, rows the
 * service rejects are reported through the listener and the metrics, and nothing else is lost.
 */
class BadInputIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String COLUMNS = " (ID NUMBER NOT NULL, NAME VARCHAR(255), AMOUNT NUMBER(10,2), DAY DATE);";
    private static final String TABLE_SQL = "CREATE TABLE STREAMING_INGEST.STREAMING_INGEST.BAD_INPUT" + COLUMNS
            + "CREATE TABLE STREAMING_INGEST.STREAMING_INGEST.BAD_INPUT_QUARANTINE" + COLUMNS;
    private static final PipeName PIPE = PipeName.defaultPipeOf("STREAMING_INGEST", "STREAMING_INGEST", "BAD_INPUT");
    private static final PipeName QUARANTINE =
            PipeName.defaultPipeOf("STREAMING_INGEST", "STREAMING_INGEST", "BAD_INPUT_QUARANTINE");
    /** The bad row is always the third of five. */
    private static final long BAD_OFFSET = 3;

    @TempDir
    Path dir;

    private InProcessRelay relay;

    @BeforeEach
    void start() {
        relay = new InProcessRelay(dir, Duration.ofMillis(150), TABLE_SQL);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static String good(int id) {
        return "{\"ID\":" + id + ",\"NAME\":\"row " + id + "\",\"AMOUNT\":12.34,\"DAY\":\"2026-12-18\"}";
    }

    /** Appends good rows 1, 2, the bad payload at offset 3, then good rows 4, 5. */
    private void writeAround(String stream, String bad) {
        relay.outbox.appendAll(stream, List.of(good(1), good(2), bad, good(4), good(5)));
    }

    private long rowsWithIds(int... ids) {
        long n = 0;
        for (int id : ids) {
            n += relay.emulator.queryForLong("SELECT count(*) FROM BAD_INPUT WHERE ID = ?", id);
        }
        return n;
    }

    // ------------------------------------------------------------ dead-lettered before the SDK

    private DeadLetter deadLettered(String stream, String bad, RunnerConfig config) throws Exception {
        writeAround(stream, bad);
        RecordingListener listener = new RecordingListener();
        ExactlyOnceChannelRunner runner = relay.startOn(PIPE, "BAD_" + stream, stream, config, listener);
        relay.awaitLanded(runner, "BAD_INPUT", stream, 4, TIMEOUT);

        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(rowsWithIds(1, 2, 4, 5)).as("the good rows").isEqualTo(4);
        assertThat(relay.count("BAD_INPUT")).isEqualTo(4);
        assertThat(relay.outbox.pendingCount(stream)).as("outbox drained").isZero();
        assertThat(runner.metrics().deadLetterCount()).isEqualTo(1);
        assertThat(listener.deadLetters).hasSize(1);
        List<DeadLetter> stored = relay.outbox.deadLetters(stream);
        assertThat(stored).hasSize(1);
        DeadLetter letter = stored.get(0);
        assertThat(letter.offset()).isEqualTo(BAD_OFFSET);
        assertThat(letter.payload()).isEqualTo(bad);
        assertThat(letter.channel()).isEqualTo("BAD_" + stream);
        assertThat(listener.deadLetters.get(0).offset()).isEqualTo(BAD_OFFSET);
        return letter;
    }

    @Test
    void aPayloadThatIsNotJsonIsDeadLetteredWithItsOffsetAndReason() throws Exception {
        DeadLetter letter = deadLettered("NOT_JSON", "{\"ID\": 3, \"NAME\": ", RunnerConfig.defaults());
        assertThat(letter.reason()).startsWith("payload is not valid JSON");
    }

    @Test
    void aDeadLetterReasonDoesNotQuoteThePayload() throws Exception {
        // The reason is logged at WARN and shown to operators; row contents must stay out of it (STYLE.md).
        DeadLetter letter = deadLettered("QUOTED", "{\"ID\": 3, \"NAME\": confidential4711}", RunnerConfig.defaults());
        assertThat(letter.reason()).startsWith("payload is not valid JSON").doesNotContain("confidential4711");
    }

    @Test
    void jsonThatIsNotAnObjectIsDeadLetteredWithItsOffsetAndReason() throws Exception {
        DeadLetter letter = deadLettered("NOT_OBJECT", "[3, \"three\"]", RunnerConfig.defaults());
        assertThat(letter.reason()).startsWith("payload is").contains("not").containsIgnoringCase("object");
    }

    @Test
    void aPayloadOverTheSizeCapIsDeadLetteredWithItsSize() throws Exception {
        String big = "{\"ID\":3,\"NAME\":\"" + "x".repeat(2000) + "\"}";
        DeadLetter letter = deadLettered("TOO_BIG", big, RunnerConfig.builder().maxRowBytes(1024).build());
        assertThat(letter.reason()).startsWith("payload is " + big.length() + " bytes")
                .contains("maxRowBytes 1024");
    }

    // ------------------------------------------------------------ rejected by the service

    private RecordingListener rejected(String stream, String bad, String expectedMessagePart) throws Exception {
        writeAround(stream, bad);
        RecordingListener listener = new RecordingListener();
        SqliteOffsetSource source = relay.source(stream);
        ExactlyOnceChannelRunner runner = relay.start(relay.runner(PIPE, "BAD_" + stream, source,
                RunnerConfig.defaults(), listener).quarantinePipe(QUARANTINE).deadLetterHandler(source).build());
        relay.awaitLanded(runner, "BAD_INPUT", stream, 4, TIMEOUT);
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> !listener.rowErrors.isEmpty());

        assertThat(runner.state()).as("policy DEAD_LETTER (the default) goes on").isEqualTo(RunnerState.RUNNING);
        assertThat(rowsWithIds(1, 2, 4, 5)).as("the good rows").isEqualTo(4);
        assertThat(relay.count("BAD_INPUT")).as("the rejected row is not stored").isEqualTo(4);
        assertThat(relay.outbox.pendingCount(stream)).as("the committed batch is deleted once the rejected row is"
                + " a dead letter").isZero();
        assertThat(listener.rowErrors).hasSize(1);
        RecordingListener.RowErrors errors = listener.rowErrors.get(0);
        assertThat(errors.newErrors()).isEqualTo(1);
        assertThat(Long.parseLong(errors.lastErrorOffsetUpperBound())).as("offset upper bound")
                .isGreaterThanOrEqualTo(BAD_OFFSET);
        assertThat(errors.lastErrorMessage()).containsIgnoringCase(expectedMessagePart);
        assertThat(runner.metrics().rowErrorCount()).isEqualTo(1);
        List<DeadLetter> letters = relay.outbox.deadLetters(stream);
        assertThat(letters).as("the rejected row, found on the quarantine pipe").extracting(DeadLetter::offset)
                .containsExactly(BAD_OFFSET);
        assertThat(letters.get(0).reason()).startsWith("rejected by the service: ")
                .containsIgnoringCase(expectedMessagePart);
        return listener;
    }

    @Test
    void textInANumberColumnIsReportedAsARowError() throws Exception {
        rejected("TEXT_IN_NUMBER", "{\"ID\":3,\"AMOUNT\":\"twelve\"}", "AMOUNT");
    }

    @Test
    void aStringLongerThanItsVarcharIsReportedAsARowError() throws Exception {
        rejected("TOO_LONG", "{\"ID\":3,\"NAME\":\"" + "n".repeat(300) + "\"}", "NAME");
    }

    @Test
    void aBadDateIsReportedAsARowError() throws Exception {
        rejected("BAD_DATE", "{\"ID\":3,\"DAY\":\"2026-13-45\"}", "DAY");
    }

    @Test
    void aMissingNotNullColumnIsReportedAsARowError() throws Exception {
        rejected("MISSING_NOT_NULL", "{\"NAME\":\"no id\"}", "ID");
    }

    @Test
    void withPolicyStopARejectedRowStopsTheRunnerAndNothingOfItsBatchIsDeleted() throws Exception {
        String stream = "STOP_POLICY";
        writeAround(stream, "{\"ID\":3,\"AMOUNT\":\"twelve\"}");
        RecordingListener listener = new RecordingListener();
        ExactlyOnceChannelRunner runner = relay.startOn(PIPE, "BAD_" + stream, stream,
                RunnerConfig.builder().rowErrorPolicy(RowErrorPolicy.STOP).build(), listener);
        InProcessRelay.awaitTerminal(runner, TIMEOUT);

        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(runner.failure()).get().isInstanceOf(RowErrorsException.class);
        RowErrorsException e = (RowErrorsException) runner.failure().get();
        assertThat(e.getMessage()).contains("channel BAD_" + stream).contains("rejected 1 row(s)")
                .contains("rowErrorPolicy is STOP");
        assertThat(Long.parseLong(e.lastErrorOffsetUpperBound())).isGreaterThanOrEqualTo(BAD_OFFSET);
        assertThat(listener.rowErrors).hasSize(1);
        assertThat(relay.outbox.pendingCount(stream)).as("nothing of the batch deleted").isEqualTo(5);
    }

    // ------------------------------------------------------------ fatal at once

    @Test
    void offsetsThatDoNotAscendStopTheRunnerBeforeAnythingIsSent() throws Exception {
        AtomicInteger deletes = new AtomicInteger();
        OffsetSource broken = new OffsetSource() {
            @Override
            public List<SourceRecord> getData(long afterOffset, int maxRows) {
                List<SourceRecord> out = new ArrayList<>();
                for (long o : new long[] {1, 2, 5, 4, 6}) {
                    if (o > afterOffset && out.size() < maxRows) {
                        out.add(SourceRecord.ofJson(o, good((int) o)));
                    }
                }
                return out;
            }

            @Override
            public void deleteData(long upToOffsetInclusive) {
                deletes.incrementAndGet();
            }

            @Override
            public String describe() {
                return "broken test source";
            }
        };
        RecordingListener listener = new RecordingListener();
        ExactlyOnceChannelRunner runner = relay.start(relay.runner(PIPE, "BAD_ORDER", broken,
                RunnerConfig.defaults(), listener).build());
        InProcessRelay.awaitTerminal(runner, TIMEOUT);

        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(runner.failure()).get().isInstanceOf(RelayHaltedException.class);
        RelayHaltedException e = (RelayHaltedException) runner.failure().get();
        assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OFFSET_ORDER);
        assertThat(e.previousOffset()).hasValue(5);
        assertThat(e.offset()).hasValue(4);
        assertThat(e.getMessage()).contains("channel BAD_ORDER").contains("broken test source")
                .contains("returned offset 4 after offset 5");
        assertThat(relay.emulator.requestCount(Endpoint.APPEND)).as("nothing of the batch sent").isZero();
        assertThat(relay.count("BAD_INPUT")).isZero();
        assertThat(deletes.get()).isZero();
    }

    @Test
    void aWrongPrivateKeyIsFatalAtOnceWithTheFixNamedAndNothingDeleted() throws Exception {
        relay.outbox.appendAll("WRONG_KEY", List.of(good(1), good(2)));
        Properties p = relay.emulator.clientProperties();
        p.setProperty("private_key", Keys.newPrivateKeyPem());
        SqliteOffsetSource source = relay.source("WRONG_KEY");
        RecordingListener listener = new RecordingListener();
        ExactlyOnceChannelRunner runner = relay.start(ExactlyOnceChannelRunner.builder()
                .profile(ClientProfile.fromProperties(p)).pipe(PIPE).channelName("BAD_WRONG_KEY").source(source)
                .listener(listener).build());
        InProcessRelay.awaitTerminal(runner, Duration.ofMinutes(2));

        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.AUTHENTICATION));
        assertThat(runner.failure().get().getMessage()).contains("authentication").contains("public key")
                .contains("private key");
        assertThat(relay.outbox.pendingCount("WRONG_KEY")).isEqualTo(2);
        assertThat(relay.count("BAD_INPUT")).isZero();
    }

    @Test
    void aMissingPrivateKeyIsRefusedWhenTheProfileIsBuilt() {
        Properties p = relay.emulator.clientProperties();
        p.remove("private_key");
        assertThatThrownBy(() -> ClientProfile.fromProperties(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private_key")
                .hasMessageContaining("private_key_file");
    }

    @Test
    void aPipeThatDoesNotExistIsFatalAtOnceAndNamesIt() throws Exception {
        notFound(PipeName.of("STREAMING_INGEST", "STREAMING_INGEST", "NO_SUCH_PIPE"), "NO_PIPE");
    }

    @Test
    void aTableThatDoesNotExistIsFatalAtOnceAndNamesItsPipe() throws Exception {
        notFound(PipeName.defaultPipeOf("STREAMING_INGEST", "STREAMING_INGEST", "NO_SUCH_TABLE"), "NO_TABLE");
    }

    private void notFound(PipeName pipe, String stream) throws Exception {
        relay.outbox.appendAll(stream, List.of(good(1)));
        RecordingListener listener = new RecordingListener();
        ExactlyOnceChannelRunner runner = relay.startOn(pipe, "BAD_" + stream, stream, RunnerConfig.defaults(),
                listener);
        InProcessRelay.awaitTerminal(runner, Duration.ofMinutes(2));

        assertThat(runner.state()).isEqualTo(RunnerState.FAILED);
        assertThat(runner.failure()).get().isInstanceOfSatisfying(RelayHaltedException.class,
                e -> assertThat(e.reason()).isEqualTo(RelayHaltedException.Reason.OBJECT_NOT_FOUND));
        assertThat(runner.failure().get().getMessage()).contains(pipe.toString()).contains("not found");
        assertThat(runner.metrics().reopenCount()).as("no retry loop").isZero();
        assertThat(relay.outbox.pendingCount(stream)).isEqualTo(1);
    }

    // ------------------------------------------------------------ what an operator is told (issue 21, cases 1-3)

    @Test
    void anUnreachableServiceIsNamedWithinSecondsAndCloseKeepsItsBound() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        relay.outbox.appendAll("UNREACHABLE", List.of(good(1), good(2)));
        Properties p = relay.emulator.clientProperties();
        p.setProperty("url", url);
        RecordingListener listener = new RecordingListener();
        Duration closeTimeout = Duration.ofSeconds(1);
        ExactlyOnceChannelRunner runner = relay.start(ExactlyOnceChannelRunner.builder()
                .profile(ClientProfile.fromProperties(p)).pipe(PIPE).channelName("BAD_UNREACHABLE")
                .source(relay.source("UNREACHABLE")).config(RunnerConfig.builder().closeTimeout(closeTimeout).build())
                .listener(listener).build());

        // The SDK retries for minutes without a word; the relay names the URL and the cause within seconds.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> runner.metrics().serviceUnreachable() != null);
        assertThat(runner.metrics().serviceUnreachable()).startsWith("cannot reach the service at " + url + " since ")
                .endsWith(": connection refused by 127.0.0.1:" + closedPort);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !listener.unreachable.isEmpty());
        assertThat(listener.unreachable.get(0)).isEqualTo(url + ": connection refused by 127.0.0.1:" + closedPort);

        long start = System.nanoTime();
        runner.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("close() while the SDK still retries").isLessThan(closeTimeout.plusSeconds(5));
        assertThat(runner.state()).isEqualTo(RunnerState.CLOSED);
        assertThat(relay.outbox.pendingCount("UNREACHABLE")).as("nothing lost").isEqualTo(2);
    }

    @Test
    void aCorruptPrivateKeyIsRefusedWhenTheProfileIsLoadedNamingTheLineNotTheKey() throws Exception {
        Properties p = relay.emulator.clientProperties();
        String[] lines = p.getProperty("private_key").split("\n");
        String secretPart = lines[3].substring(0, 16);
        lines[3] = lines[3].substring(0, 10) + "garbage typed here" + lines[3].substring(28);
        p.setProperty("private_key", String.join("\n", lines));
        Path file = Emulators.writeProfile(p, dir.resolve("corrupt-key.json"));

        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client profile " + file + ": private_key, line 4: not base64; the key is damaged (its"
                        + " text was changed). Copy the key file again")
                .hasMessageNotContaining(secretPart);
    }

    @Test
    void profileErrorsNameTheFileThePositionAndEveryWrongKey() throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(missing))
                .hasMessageStartingWith("client profile: file not found: " + missing.toAbsolutePath());

        Path truncated = dir.resolve("truncated.json");
        java.nio.file.Files.writeString(truncated, "{\n  \"user\": \"LOADER\",\n  \"account\": \"acc");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(truncated))
                .hasMessageStartingWith("client profile " + truncated + " is not valid JSON at line 3, column ");

        Properties p = relay.emulator.clientProperties();
        p.remove("user");
        p.setProperty("usr", "LOADER");
        p.setProperty("acount", "x");
        Path wrong = Emulators.writeProfile(p, dir.resolve("wrong-keys.json"));
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(wrong))
                .hasMessageStartingWith("client profile " + wrong + " has 3 problems:")
                .hasMessageContaining("user = <missing>; it is required")
                .hasMessageContaining("unknown key 'acount'; accepted keys: account, ")
                .hasMessageContaining("unknown key 'usr'; accepted keys: ");
    }
}
