package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.testing.FakeSnowpipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommitPollerTest {
    private static final String CH = "CH";

    private final FakeSnowpipe service = new FakeSnowpipe();
    private final List<ChannelStatusView> statuses = new ArrayList<>();
    private final CommitPoller.Observer observer = new CommitPoller.Observer() {
        @Override
        public void onStatus(ChannelStatusView status) {
            statuses.add(status);
        }

        @Override
        public void onCommittedToken(String token) {
        }
    };

    @AfterEach
    void stop() {
        service.close();
    }

    private CommitPoller pollerOnAnOpenChannel() {
        CommitPoller poller = new CommitPoller(CH, Duration.ofMillis(5), true, new RunnerSignal());
        poller.publish(service.newClient().open(CH).channel());
        return poller;
    }

    @Test
    void aStatusReadFailureIsDeliveredWhileItIsTheLatestWord() {
        CommitPoller poller = pollerOnAnOpenChannel();
        service.failNextStatusReads(CH, 1, PortException.Kind.TRANSIENT);
        poller.pollStatus();

        assertThatThrownBy(() -> poller.deliver(observer)).isInstanceOf(PortException.class)
                .hasMessageContaining("injected status failure");
        poller.deliver(observer); // delivered once
        assertThat(statuses).isEmpty();
    }

    @Test
    void aStatusReadFailureThatALaterReadContradictsIsNotRethrown() {
        CommitPoller poller = pollerOnAnOpenChannel();
        service.setCommittedToken(CH, "7");
        service.failNextStatusReads(CH, 1, PortException.Kind.TRANSIENT);
        poller.pollStatus(); // fails
        poller.pollStatus(); // succeeds: the channel is fine

        poller.deliver(observer);

        assertThat(statuses).singleElement().extracting(ChannelStatusView::committedToken).isEqualTo("7");
    }
}
