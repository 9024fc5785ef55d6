package io.snowpiperelay.testkit;

/**
 * The state of a channel as the emulator holds it (what {@code bulk-channel-status} reports), for assertions.
 *
 * @param database                  canonical database name
 * @param schema                    canonical schema name
 * @param pipe                      canonical pipe name
 * @param channel                   channel name
 * @param clientSequencer           bumped by every open
 * @param committedOffsetToken      latest committed offset token, or null
 * @param rowsInserted              rows stored, cumulative
 * @param rowsParsed                rows parsed (stored + rejected), cumulative
 * @param rowsErrorCount            rows rejected, cumulative
 * @param lastErrorOffsetUpperBound offset token of the request holding the last rejected row, or null
 * @param lastErrorMessage          message of the last rejected row, or null
 * @param lastErrorTimestampMs      when the last rejected row was appended (epoch ms), or null
 * @param createdOnMs               when the channel was first opened (epoch ms)
 */
public record ChannelSnapshot(String database, String schema, String pipe, String channel, long clientSequencer,
                              String committedOffsetToken, long rowsInserted, long rowsParsed, long rowsErrorCount,
                              String lastErrorOffsetUpperBound, String lastErrorMessage, Long lastErrorTimestampMs,
                              long createdOnMs) {
}
