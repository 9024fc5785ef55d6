package io.snowpiperelay.testkit;

/**
 * The HTTP endpoints of the Snowpipe Streaming service that the SDK calls, as the emulator classifies them.
 * Used to target {@link Fault}s, to count requests and to filter {@link RecordedRequest}s.
 */
public enum Endpoint {
    /** {@code GET /v2/streaming/hostname} (key-pair JWT). */
    HOSTNAME,
    /** {@code POST /oauth/token}: exchange of the key-pair JWT for a scoped token. */
    TOKEN,
    /** {@code POST …/pipes/{pipe}:pipe-info}. */
    PIPE_INFO,
    /** {@code PUT …/pipes/{pipe}/channels/{channel}}: open or re-open a channel. */
    OPEN_CHANNEL,
    /** {@code POST /v2/streaming/data/…/channels/{channel}/rows}: append a batch of rows. */
    APPEND,
    /** {@code POST …/pipes/{pipe}:bulk-channel-status}. */
    BULK_CHANNEL_STATUS,
    /** {@code DELETE …/pipes/{pipe}/channels/{channel}}. */
    DROP_CHANNEL,
    /** {@code POST /telemetry/send/sessionless}. */
    TELEMETRY,
    /** Anything else (including the file-mode {@code /filebuffer} endpoint, which the emulator refuses). */
    OTHER,
    /** Matches every endpoint; only meaningful as a {@link Fault} target. */
    ANY;

    boolean matches(Endpoint actual) {
        return this == ANY || this == actual;
    }
}
