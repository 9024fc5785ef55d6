package io.snowpiperelay.testkit.internal;

/**
 * One channel: its durable committed state and its in-memory session (client sequencer, continuation tokens).
 * Every mutable field is guarded by {@code this}.
 */
final class ChannelState {

    final String database;
    final String schema;
    final String pipe;
    final String channel;

    // session (in memory)
    long clientSequencer;
    long requestCounter;
    /** The token the next append must carry. */
    String expectedToken;
    /** The token the last applied append carried (a retry of it is a duplicate). */
    String lastAppliedToken;
    long invalidatedSequencer = -1;
    boolean dropped;

    // committed (durable)
    String committedToken;
    long rowsInserted;
    long rowsParsed;
    long rowsErrorCount;
    String lastErrorOffsetUpperBound;
    String lastErrorMessage;
    Long lastErrorTimestampMs;
    long createdOnMs;
    /** Exponential moving average of append-to-commit latency; null until the first commit. */
    Long avgProcessingLatencyMs;

    ChannelState(String database, String schema, String pipe, String channel) {
        this.database = database;
        this.schema = schema;
        this.pipe = pipe;
        this.channel = channel;
    }

    static ChannelState of(ChannelRecord r) {
        ChannelState c = new ChannelState(r.database(), r.schema(), r.pipe(), r.channel());
        c.clientSequencer = r.clientSequencer();
        c.committedToken = r.committedToken();
        c.rowsInserted = r.rowsInserted();
        c.rowsParsed = r.rowsParsed();
        c.rowsErrorCount = r.rowsErrorCount();
        c.lastErrorOffsetUpperBound = r.lastErrorOffsetUpperBound();
        c.lastErrorMessage = r.lastErrorMessage();
        c.lastErrorTimestampMs = r.lastErrorTimestampMs();
        c.createdOnMs = r.createdOnMs();
        return c;
    }

    synchronized ChannelRecord record() {
        return new ChannelRecord(database, schema, pipe, channel, clientSequencer, committedToken, rowsInserted,
                rowsParsed, rowsErrorCount, lastErrorOffsetUpperBound, lastErrorMessage, lastErrorTimestampMs, createdOnMs);
    }

    /** The channel status object of the protocol (§5.3.1), with the names the caller used. */
    synchronized void appendStatusJson(StringBuilder out, String dbName, String schemaName, String pipeName) {
        out.append("{\"database_name\":");
        Json.string(out, dbName);
        out.append(",\"schema_name\":");
        Json.string(out, schemaName);
        out.append(",\"pipe_name\":");
        Json.string(out, pipeName);
        out.append(",\"channel_name\":");
        Json.string(out, channel);
        out.append(",\"channel_status_code\":\"SUCCESS\",\"last_committed_offset_token\":");
        Json.string(out, committedToken);
        out.append(",\"created_on_ms\":").append(createdOnMs);
        out.append(",\"rows_inserted\":").append(rowsInserted);
        out.append(",\"rows_parsed\":").append(rowsParsed);
        out.append(",\"rows_error_count\":").append(rowsErrorCount);
        out.append(",\"last_error_offset_upper_bound\":");
        Json.string(out, lastErrorOffsetUpperBound);
        out.append(",\"last_error_message\":");
        Json.string(out, lastErrorMessage);
        out.append(",\"last_error_timestamp_ms\":").append(lastErrorTimestampMs == null ? "null" : lastErrorTimestampMs.toString());
        out.append(",\"snowflake_avg_processing_latency_ms\":")
                .append(avgProcessingLatencyMs == null ? "null" : avgProcessingLatencyMs.toString());
        out.append('}');
    }
}
