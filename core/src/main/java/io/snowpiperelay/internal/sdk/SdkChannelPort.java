package io.snowpiperelay.internal.sdk;

import com.snowflake.ingest.streaming.ChannelStatus;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ChannelPort} over one SDK channel instance. Thread-safety is the SDK's (its channel is thread-safe). */
final class SdkChannelPort implements ChannelPort {
    private static final Logger log = LoggerFactory.getLogger(SdkChannelPort.class);

    private final SnowflakeStreamingIngestChannel channel;
    private final String name;

    SdkChannelPort(SnowflakeStreamingIngestChannel channel) {
        this.channel = channel;
        this.name = channel.getChannelName();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken) {
        try {
            channel.appendRows(RawRowSupport.supported(channel) ? rows : RawRowSupport.plain(rows),
                    firstToken, lastToken);
        } catch (SFException e) {
            throw SdkErrors.map(e, "channel " + name + " appendRows");
        }
    }

    @Override
    public ChannelStatusView status() {
        try {
            return view(channel.getChannelStatus());
        } catch (SFException e) {
            throw SdkErrors.map(e, "channel " + name + " status");
        }
    }

    @Override
    public void initiateFlush() {
        try {
            channel.initiateFlush();
        } catch (RuntimeException e) {
            log.debug("{} - initiateFlush: {}", name, e.toString());
        }
    }

    @Override
    public void close(Duration flushTimeout) {
        try {
            if (flushTimeout.isZero()) {
                // No flush: the channel is being abandoned (reopen or fatal stop); what it holds stays in the source.
                channel.close(false, Duration.ofSeconds(1));
            } else {
                // The SDK counts whole seconds and treats 0 as "no limit".
                long seconds = Math.max(1, (flushTimeout.toMillis() + 999) / 1000);
                channel.close(true, Duration.ofSeconds(seconds));
            }
        } catch (Exception e) {
            log.warn("{} - channel close: {}", name, e.toString());
        }
    }

    static ChannelStatusView view(ChannelStatus s) {
        return new ChannelStatusView(s.getStatusCode(), s.getLatestCommittedOffsetToken(), s.getRowsErrorCount(),
                s.getLastErrorOffsetTokenUpperBound(), s.getLastErrorMessage(), s.getLastRefreshedOn());
    }
}
