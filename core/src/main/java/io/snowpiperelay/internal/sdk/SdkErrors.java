package io.snowpiperelay.internal.sdk;

import com.snowflake.ingest.streaming.SFException;
import io.snowpiperelay.internal.PortException;
import io.snowpiperelay.internal.PortException.Kind;
import java.util.Locale;
import java.util.Set;

/**
 * Maps the SDK's {@link SFException} error code names (see docs: snowpipe-streaming-protocol §7.3) to what the
 * runner does about them. The SDK's {@code httpStatusCode} describes the error class, not the server's status,
 * so only the code name and, for a few codes, the message's {@code HTTP <status>} are used.
 */
public final class SdkErrors {
    private SdkErrors() {
    }

    private static final Set<String> CHANNEL_INVALID = Set.of("InvalidChannelError", "ClosedChannelError",
            "ChannelNotFound", "OutputChannelClosed", "InputChannelClosed", "ChannelClosedByUser",
            "ChannelAlreadyExists");
    private static final Set<String> CLIENT_INVALID = Set.of("InvalidClientError", "ClosedClientError",
            "SfApiPipeFailedOverError", "CloseAllChannelsFailedError");
    private static final Set<String> BACKPRESSURE = Set.of("ReceiverSaturated", "MemoryThresholdExceeded",
            "InContainerMemoryThresholdExceeded");
    private static final Set<String> AUTH = Set.of("SfApiAuthError", "AuthTokenError");
    private static final Set<String> TRANSIENT = Set.of("HttpRetriesExhaustedError", "HttpRetryableClientError",
            "SfApiInternalServerError", "ChannelWaitForFlushTimeout", "ClientWaitForFlushTimeout", "MutexLockFailed");
    private static final Set<String> CONFIG = Set.of("ConfigError", "InvalidArgument");

    /** Classifies {@code e}; {@code what} says what was being done, for the message. */
    public static PortException map(SFException e, String what) {
        String code = e.getErrorCodeName() == null ? "" : e.getErrorCodeName();
        String message = e.getMessage() == null ? "" : e.getMessage();
        return new PortException(classify(code, message), code, what + ": " + code + ": " + message, e);
    }

    /** The kind for an error code name and message. */
    public static Kind classify(String code, String message) {
        if (AUTH.contains(code)) {
            return Kind.AUTH;
        }
        if (BACKPRESSURE.contains(code)) {
            return Kind.BACKPRESSURE;
        }
        if (CLIENT_INVALID.contains(code)) {
            return Kind.CLIENT_INVALID;
        }
        if (CONFIG.contains(code)) {
            return Kind.CONFIG;
        }
        if (TRANSIENT.contains(code)) {
            return Kind.TRANSIENT;
        }
        if ("SfApiUserError".equals(code)) {
            // Non-retryable 4xx on open/drop/build: the message carries "HTTP <status>".
            if (mentionsStatus(message, 404)) {
                return Kind.NOT_FOUND;
            }
            if (mentionsStatus(message, 401) || mentionsStatus(message, 403)) {
                return Kind.AUTH;
            }
            return Kind.UNKNOWN;
        }
        if (CHANNEL_INVALID.contains(code)) {
            // An append whose 401/403 retries ran out invalidates the channel; the inner cause says so, e.g.
            // "source: Some(SfApiAuthError { api_name: "insert_rows", http_status_code: 401, ...".
            String m = message.toLowerCase(Locale.ROOT);
            if (m.contains("authentication error") || message.contains("SfApiAuthError")
                    || message.contains("AuthTokenError") || mentionsStatus(message, 401)
                    || mentionsStatus(message, 403)) {
                return Kind.AUTH;
            }
            return Kind.CHANNEL_INVALID;
        }
        return Kind.UNKNOWN;
    }

    private static boolean mentionsStatus(String message, int status) {
        return message.contains("HTTP " + status) || message.contains("status " + status)
                || message.contains("status: " + status) || message.contains("status_code=" + status)
                || message.contains("http_status_code: " + status);
    }
}
