package io.snowpiperelay.internal.sdk;

import com.snowflake.ingest.streaming.ChannelStatus;
import com.snowflake.ingest.streaming.OpenChannelResult;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.internal.PortException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClientPort} over one SDK client (one per pipe, as the high-performance SDK is built). Thread-safe.
 */
public final class SdkClientPort implements ClientPort {
    private static final Logger log = LoggerFactory.getLogger(SdkClientPort.class);

    private final SnowflakeStreamingIngestClient client;
    private final PipeName pipe;

    private SdkClientPort(SnowflakeStreamingIngestClient client, PipeName pipe) {
        this.client = client;
        this.pipe = pipe;
    }

    /**
     * Builds the SDK client: fetches the account's host, a scoped token and the pipe's info, so it fails here
     * for bad credentials (AUTH) or a missing pipe (NOT_FOUND).
     *
     * @throws PortException classified by {@link SdkErrors}
     */
    public static SdkClientPort build(String clientName, PipeName pipe, ClientProfile profile) {
        try {
            SnowflakeStreamingIngestClient client = SnowflakeStreamingIngestClientFactory
                    .builder(clientName, pipe.database(), pipe.schema(), pipe.pipe())
                    .setProperties(profile.toProperties())
                    .build();
            log.info("{} - client {} built", pipe, clientName);
            return new SdkClientPort(client, pipe);
        } catch (SFException e) {
            throw SdkErrors.map(e, "building client " + clientName + " for pipe " + pipe);
        }
    }

    @Override
    public OpenedChannel open(String name) {
        try {
            OpenChannelResult r = client.openChannel(name);
            return new OpenedChannel(new SdkChannelPort(r.getChannel()), SdkChannelPort.view(r.getChannelStatus()));
        } catch (SFException e) {
            throw SdkErrors.map(e, "opening channel " + name + " on pipe " + pipe);
        }
    }

    @Override
    public Map<String, String> latestCommittedTokens(List<String> names) {
        try {
            return client.getLatestCommittedOffsetTokens(names);
        } catch (SFException e) {
            throw SdkErrors.map(e, "reading committed tokens on pipe " + pipe);
        }
    }

    @Override
    public Map<String, ChannelStatusView> statuses(List<String> names) {
        try {
            Map<String, ChannelStatusView> out = new java.util.HashMap<>();
            for (Map.Entry<String, ChannelStatus> e : client.getChannelStatus(names).getChannelStatusBatch()
                    .entrySet()) {
                ChannelStatus s = e.getValue();
                // A name the service does not know comes back synthesised with an empty database name.
                if (s != null && s.getDatabaseName() != null && !s.getDatabaseName().isEmpty()) {
                    out.put(e.getKey(), SdkChannelPort.view(s));
                }
            }
            return out;
        } catch (SFException e) {
            throw SdkErrors.map(e, "reading channel statuses on pipe " + pipe);
        }
    }

    @Override
    public String describe() {
        return pipe.toString();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            log.warn("{} - client close: {}", pipe, e.toString());
        }
    }
}
