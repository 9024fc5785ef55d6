package io.snowpiperelay.testkit.internal;

/** The durable part of a channel, as stored in {@code _emulator_channels}. */
record ChannelRecord(String database, String schema, String pipe, String channel, long clientSequencer,
                     String committedToken, long rowsInserted, long rowsParsed, long rowsErrorCount,
                     String lastErrorOffsetUpperBound, String lastErrorMessage, Long lastErrorTimestampMs,
                     long createdOnMs) {
}
