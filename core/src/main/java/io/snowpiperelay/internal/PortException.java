package io.snowpiperelay.internal;

import java.util.Objects;

/**
 * A failure reported by a {@link ChannelPort} or {@link ClientPort}, already classified so the runner can
 * react without knowing the SDK. The SDK adapter maps {@code SFException} error codes to a {@link Kind};
 * test fakes throw these directly.
 *
 * <p>Messages come from the SDK or the service; they never contain secrets (the SDK never puts keys in
 * messages) but may name channels and tokens.
 */
public final class PortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the runner should do about a failure. */
    public enum Kind {
        /** The channel instance is unusable (invalid, closed, stale continuation): reopen and rewind. */
        CHANNEL_INVALID,
        /** The whole client is unusable (410 / pipe failed over, broken status endpoint): rebuild it. */
        CLIENT_INVALID,
        /** The SDK's buffers are full ({@code ReceiverSaturated}, {@code MemoryThresholdExceeded}): wait, same batch again. */
        BACKPRESSURE,
        /** Authentication or authorisation failed (401/403 after the SDK's own retries): fatal. */
        AUTH,
        /** The pipe, table, schema or database does not exist or is not visible to the role (404): fatal. */
        NOT_FOUND,
        /** A transient failure that reached us (timeouts, retries exhausted on a management call): retry, bounded. */
        TRANSIENT,
        /** A configuration error detected by the SDK (bad URL, bad property): fatal. */
        CONFIG,
        /** Anything else: treated like a channel fault, bounded by the reopen limit. */
        UNKNOWN
    }

    private final Kind kind;
    private final String errorCodeName;

    /** A classified failure; {@code errorCodeName} is the SDK's code name or {@code null}. */
    public PortException(Kind kind, String errorCodeName, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.errorCodeName = errorCodeName == null ? "" : errorCodeName;
    }

    /** A classified failure without a cause. */
    public PortException(Kind kind, String errorCodeName, String message) {
        this(kind, errorCodeName, message, null);
    }

    /** The classification. */
    public Kind kind() {
        return kind;
    }

    /** The SDK's error code name ({@code InvalidChannelError}, ...) or "" when unknown. */
    public String errorCodeName() {
        return errorCodeName;
    }

    /**
     * Whether the message (or a cause's message) carries the service's stale-sequencer error code, which
     * means another writer opened this channel after us.
     */
    public boolean mentionsStaleSequencer() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains(STALE_SEQUENCER_CODE)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Snowflake's documented error code for an append whose continuation token carries an outdated sequencer. */
    public static final String STALE_SEQUENCER_CODE = "STALE_CONTINUATION_TOKEN_SEQUENCER";
}
