package io.snowpiperelay.examples.cli;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads channels' latest committed offset tokens from Snowflake without opening the channels, so it is safe
 * while a relay is running (opening a channel would fence the relay's instance). Uses the SDK directly: one
 * client per pipe and one batched {@code getLatestCommittedOffsetTokens} call each.
 */
final class CommittedOffsets {

    private CommittedOffsets() {
    }

    /**
     * The committed offset of each channel, parsed as a number; 0 for a channel with no committed token.
     *
     * @param channelsByPipe channel names per pipe
     * @throws IllegalStateException if a token is not a decimal number (not written by this relay)
     */
    static Map<String, Long> read(ClientProfile profile, Map<PipeName, List<String>> channelsByPipe) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<PipeName, List<String>> entry : channelsByPipe.entrySet()) {
            PipeName pipe = entry.getKey();
            try (SnowflakeStreamingIngestClient client = SnowflakeStreamingIngestClientFactory
                    .builder("ski-resort-report-" + pipe.pipe(), pipe.database(), pipe.schema(), pipe.pipe())
                    .setProperties(profile.toProperties())
                    .build()) {
                Map<String, String> tokens = new HashMap<>(
                        client.getLatestCommittedOffsetTokens(new ArrayList<>(entry.getValue())));
                for (String channel : entry.getValue()) {
                    String token = tokens.get(channel);
                    offsets.put(channel, parse(channel, token));
                }
            }
        }
        return offsets;
    }

    private static long parse(String channel, String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("channel " + channel + ": committed token '" + token
                    + "' is not a decimal offset; it was not written by this relay");
        }
    }
}
