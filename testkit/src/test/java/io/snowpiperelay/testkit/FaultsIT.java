package io.snowpiperelay.testkit;

import static io.snowpiperelay.testkit.TestSupport.awaitChannelError;
import static io.snowpiperelay.testkit.TestSupport.awaitCommitted;
import static io.snowpiperelay.testkit.TestSupport.client;
import static io.snowpiperelay.testkit.TestSupport.rides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.snowflake.ingest.streaming.OpenChannelResult;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault kind, and what the real SDK then does. */
class FaultsIT {

    @RegisterExtension
    static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(TestSupport.emulator());

    private static SnowflakeStreamingIngestClient client;

    @BeforeAll
    static void buildClient() {
        client = client(EMULATOR.emulator(), "LIFT_RIDE_PIPE");
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void clearFaults() {
        emulator().faults().clear();
        emulator().resumeCommits();
    }

    private static SnowpipeEmulator emulator() {
        return EMULATOR.emulator();
    }

    private static long count(long fromId, long toId) {
        return emulator().queryForLong("SELECT COUNT(*) FROM LIFT_RIDE WHERE RIDE_ID BETWEEN ? AND ?", fromId, toId);
    }

    /** 503 (Snowflake under load or deploying): the SDK retries the same request transparently. */
    @Test
    void serviceUnavailableBurstIsRetriedTransparently() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("f503", null).getChannel();
        long before = emulator().requestCount(Endpoint.APPEND);
        emulator().faults().add(Fault.status(503).times(2).on(Endpoint.APPEND));
        channel.appendRows(rides(10_001, 100), "10001", "10100");
        awaitCommitted(channel, "10100");
        assertThat(emulator().faults().pending()).isEmpty();
        assertThat(emulator().requestCount(Endpoint.APPEND) - before).isGreaterThanOrEqualTo(3);
        assertThat(count(10_001, 10_100)).isEqualTo(100);
        assertThat(channel.getChannelStatus().getStatusCode()).isEqualTo("SUCCESS");
        channel.close();
    }

    /** 429 and 500 behave the same way (retried). */
    @Test
    void tooManyRequestsAndInternalErrorAreRetried() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("f429", null).getChannel();
        emulator().faults().add(Fault.status(429).on(Endpoint.APPEND), Fault.status(500).on(Endpoint.APPEND));
        channel.appendRows(rides(10_201, 50), "10201", "10250");
        awaitCommitted(channel, "10250");
        assertThat(count(10_201, 10_250)).isEqualTo(50);
        channel.close();
    }

    /** A connection reset before the service saw the request: retried. */
    @Test
    void droppedConnectionIsRetried() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("fdrop", null).getChannel();
        emulator().faults().add(Fault.dropConnection().times(1).on(Endpoint.APPEND));
        channel.appendRows(rides(11_001, 100), "11001", "11100");
        awaitCommitted(channel, "11100");
        assertThat(count(11_001, 11_100)).isEqualTo(100);
        channel.close();
    }

    /** The response is lost after the rows were applied: the retry is recognised as a duplicate, rows land once. */
    @Test
    void lostResponseRetryIsIdempotent() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("fdup", null).getChannel();
        emulator().faults().add(Fault.dropResponse().times(1).on(Endpoint.APPEND));
        channel.appendRows(rides(12_001, 100), "12001", "12100");
        awaitCommitted(channel, "12100");
        channel.appendRows(rides(12_101, 10), "12101", "12110");
        awaitCommitted(channel, "12110");
        assertThat(count(12_001, 12_110)).isEqualTo(110);
        assertThat(channel.getChannelStatus().getRowsInsertedCount()).isEqualTo(110);
        channel.close();
    }

    /** A slow service: requests take longer, nothing fails. */
    @Test
    void latencyDelaysButDoesNotFail() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("flatency", null).getChannel();
        emulator().faults().add(Fault.latency(Duration.ofMillis(500)).times(3).on(Endpoint.APPEND));
        long start = System.nanoTime();
        channel.appendRows(rides(13_001, 10), "13001", "13010");
        awaitCommitted(channel, "13010");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(count(13_001, 13_010)).isEqualTo(10);
        channel.close();
    }

    /** An expired/revoked token: the SDK refreshes its scoped token and retries. */
    @Test
    void unauthorizedAppendRefreshesTheTokenAndRetries() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("f401", null).getChannel();
        long tokens = emulator().requestCount(Endpoint.TOKEN);
        emulator().faults().add(Fault.status(401).on(Endpoint.APPEND));
        channel.appendRows(rides(14_001, 10), "14001", "14010");
        awaitCommitted(channel, "14010");
        assertThat(emulator().requestCount(Endpoint.TOKEN)).isGreaterThan(tokens);
        channel.close();
    }

    /** A non-retryable 4xx on append invalidates the channel; a re-open resumes from the committed token. */
    @Test
    void badRequestOnAppendInvalidatesTheChannel() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("f400", null).getChannel();
        channel.appendRows(rides(15_001, 10), "15001", "15010");
        awaitCommitted(channel, "15010");
        emulator().faults().add(Fault.status(400).on(Endpoint.APPEND));
        channel.appendRows(rides(15_011, 10), "15011", "15020");
        SFException e = awaitChannelError(channel, "InvalidChannelError");
        assertThat(e.getMessage()).contains("HTTP 400");
        channel.close();
        OpenChannelResult reopened = client.openChannel("f400", null);
        assertThat(reopened.getChannelStatus().getLatestCommittedOffsetToken()).isEqualTo("15010");
        reopened.getChannel().close();
    }

    /** Commits stall (ingestion falls behind): the committed token stops moving, then catches up. */
    @Test
    void stalledCommitsHoldTheTokenUntilResumed() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("fstall", null).getChannel();
        channel.appendRows(rides(16_001, 10), "16001", "16010");
        awaitCommitted(channel, "16010");
        emulator().stallCommits(Duration.ofMinutes(1));
        channel.appendRows(rides(16_011, 10), "16011", "16020");
        channel.waitForFlush(TestSupport.WAIT).get();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                .until(() -> "16010".equals(channel.getLatestCommittedOffsetToken()));
        assertThat(count(16_011, 16_020)).isZero();
        emulator().resumeCommits();
        awaitCommitted(channel, "16020");
        assertThat(count(16_001, 16_020)).isEqualTo(20);
        channel.close();
    }

    /** A stall with a duration ends by itself. */
    @Test
    void timedStallEndsByItself() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("fstall2", null).getChannel();
        emulator().stallCommits(Duration.ofMillis(700));
        long start = System.nanoTime();
        channel.appendRows(rides(16_101, 5), "16101", "16105");
        awaitCommitted(channel, "16105");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        channel.close();
    }

    /** Snowflake invalidates a channel: the SDK reports InvalidChannelError; after a re-open all is well. */
    @Test
    void invalidatedChannelMustBeReopened() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("finvalid", null).getChannel();
        channel.appendRows(rides(17_001, 10), "17001", "17010");
        awaitCommitted(channel, "17010");
        assertThat(emulator().invalidateChannel("DB", "PUBLIC", "LIFT_RIDE_PIPE", "finvalid")).isTrue();
        channel.appendRows(rides(17_011, 10), "17011", "17020");
        SFException e = awaitChannelError(channel, "InvalidChannelError");
        assertThat(e.getMessage()).contains("ERR_CHANNEL_MUST_BE_REOPENED");
        channel.close();
        SnowflakeStreamingIngestChannel again = client.openChannel("finvalid", null).getChannel();
        assertThat(again.getLatestCommittedOffsetToken()).isEqualTo("17010");
        again.appendRows(rides(17_011, 10), "17011", "17020");
        awaitCommitted(again, "17020");
        assertThat(count(17_001, 17_020)).isEqualTo(20);
        again.close();
    }

    /** For regression tests of clients: the committed token can be made to go backwards. */
    @Test
    void committedTokenCanBeRewound() throws Exception {
        SnowflakeStreamingIngestChannel channel = client.openChannel("frewind", null).getChannel();
        channel.appendRows(rides(18_001, 10), "18001", "18010");
        awaitCommitted(channel, "18010");
        assertThat(emulator().rewindCommittedToken("DB", "PUBLIC", "LIFT_RIDE_PIPE", "frewind", "18005")).isTrue();
        await().atMost(TestSupport.WAIT).until(() -> "18005".equals(channel.getLatestCommittedOffsetToken()));
        channel.close();
    }

    /** 410 (pipe failed over) kills the whole client, as the real service's fail-over does. */
    @Test
    void goneInvalidatesTheWholeClient() throws Exception {
        try (SnowflakeStreamingIngestClient doomed = client(emulator(), "LIFT_RIDE_PIPE")) {
            SnowflakeStreamingIngestChannel channel = doomed.openChannel("f410", null).getChannel();
            emulator().faults().add(Fault.status(410).on(Endpoint.APPEND));
            channel.appendRows(rides(19_001, 1), "19001", "19001");
            awaitChannelError(channel, "InvalidChannelError");
            assertThatThrownBy(() -> doomed.openChannel("f410-other", null))
                    .isInstanceOfSatisfying(SFException.class, e -> assertThat(e.getErrorCodeName()).isEqualTo("InvalidClientError"));
        } catch (SFException closeFailure) {
            // closing an invalidated client may complain; the assertion above is what matters
        }
    }

    @Test
    void faultValuesValidateAndDescribeThemselves() {
        assertThat(Fault.status(503).times(2).on(Endpoint.APPEND)).hasToString("Fault.status(503).times(2).on(APPEND)");
        assertThatThrownBy(() -> Fault.status(302)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("302");
        assertThatThrownBy(() -> Fault.dropConnection().times(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Fault.status(401).errorCode()).isEqualTo("390144");
    }
}
