package io.snowpiperelay.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault to inject into the emulator: an immutable value, added with {@code emulator.faults().add(fault)}.
 *
 * <pre>{@code
 * emulator.faults().add(Fault.status(503).times(2).on(Endpoint.APPEND));
 * emulator.faults().add(Fault.dropConnection().times(1).on(Endpoint.APPEND));
 * emulator.faults().add(Fault.latency(Duration.ofMillis(500)).times(3).on(Endpoint.BULK_CHANNEL_STATUS));
 * }</pre>
 *
 * <p>Each fault applies to the next {@link #times()} requests of its {@link #endpoint()} (default
 * {@link Endpoint#ANY}, once), in the order faults were added. What each kind imitates:
 * <ul>
 *   <li>{@link #status(int)}: the service answering with that HTTP status and a Snowflake-style error body
 *       {@code {"error_code":…,"message":…}}, without processing the request. 408/429/5xx are what Snowflake
 *       sends under load or during deployments (the SDK retries them with backoff); 400/404/409/413/422 are
 *       permanent request errors (on append the SDK marks the channel invalid); 401/403 mean an expired or
 *       revoked token (the SDK refreshes its token and retries up to 3 times); 410 is a pipe fail-over (the SDK
 *       invalidates the whole client). The body never says {@code SWITCH_TO_FILE_MODE}.</li>
 *   <li>{@link #dropConnection()}: a load balancer or network resetting the connection before the request
 *       reached the service: the request is not processed and the TCP connection is closed without a
 *       response. The SDK retries transparently.</li>
 *   <li>{@link #dropResponse()}: the response is lost after the service applied the request (a timeout or a
 *       reset on the way back). The SDK retries the same request with the same continuation token, which the
 *       emulator recognises as a duplicate and answers without applying the rows twice.</li>
 *   <li>{@link #latency(Duration)}: a slow service; the request is processed normally after the delay. Keep it
 *       below the SDK's request timeouts (about 30 s for appends, 60 s for management calls) unless a timeout is
 *       what you want to test.</li>
 * </ul>
 * <p>Thread-safe (immutable).
 */
public final class Fault {

    /** What a fault does to a request. */
    public enum Kind {
        /** Answer with an HTTP error status, request not processed. */
        STATUS,
        /** Close the connection without a response, request not processed. */
        DROP_CONNECTION,
        /** Process the request, then close the connection without sending the response. */
        DROP_RESPONSE,
        /** Delay, then process normally. */
        LATENCY
    }

    /** Default number of requests a fault applies to. */
    public static final int DEFAULT_TIMES = 1;

    private final Kind kind;
    private final int httpStatus;
    private final String errorCode;
    private final String message;
    private final Duration latency;
    private final int times;
    private final Endpoint endpoint;

    private Fault(Kind kind, int httpStatus, String errorCode, String message, Duration latency, int times, Endpoint endpoint) {
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.message = message;
        this.latency = latency;
        this.times = times;
        this.endpoint = endpoint;
    }

    /**
     * Answer with {@code httpStatus} and a Snowflake-style error body.
     *
     * @param httpStatus 400–599
     * @throws IllegalArgumentException if the status is outside 400–599
     */
    public static Fault status(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be within 400..599, was " + httpStatus);
        }
        return new Fault(Kind.STATUS, httpStatus, defaultErrorCode(httpStatus), defaultMessage(httpStatus), Duration.ZERO,
                DEFAULT_TIMES, Endpoint.ANY);
    }

    /** Close the connection before the request is processed. */
    public static Fault dropConnection() {
        return new Fault(Kind.DROP_CONNECTION, 0, null, null, Duration.ZERO, DEFAULT_TIMES, Endpoint.ANY);
    }

    /** Process the request, then close the connection instead of answering. */
    public static Fault dropResponse() {
        return new Fault(Kind.DROP_RESPONSE, 0, null, null, Duration.ZERO, DEFAULT_TIMES, Endpoint.ANY);
    }

    /**
     * Delay the request by {@code delay}, then process it normally.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public static Fault latency(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0, was " + delay);
        }
        return new Fault(Kind.LATENCY, 0, null, null, delay, DEFAULT_TIMES, Endpoint.ANY);
    }

    /**
     * The number of matching requests this fault applies to.
     *
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + count);
        }
        return new Fault(kind, httpStatus, errorCode, message, latency, count, endpoint);
    }

    /** The endpoint whose requests this fault applies to ({@link Endpoint#ANY} by default). */
    public Fault on(Endpoint target) {
        return new Fault(kind, httpStatus, errorCode, message, latency, times, Objects.requireNonNull(target, "endpoint"));
    }

    /**
     * Replace the {@code error_code} and {@code message} of the error body of a {@link Kind#STATUS} fault.
     *
     * @throws IllegalStateException for other kinds
     */
    public Fault withBody(String newErrorCode, String newMessage) {
        if (kind != Kind.STATUS) {
            throw new IllegalStateException("only status faults have a body, this is " + kind);
        }
        return new Fault(kind, httpStatus, Objects.requireNonNull(newErrorCode, "errorCode"),
                Objects.requireNonNull(newMessage, "message"), latency, times, endpoint);
    }

    /** The kind of fault. */
    public Kind kind() { return kind; }

    /** The HTTP status of a {@link Kind#STATUS} fault, 0 otherwise. */
    public int httpStatus() { return httpStatus; }

    /** The {@code error_code} of the error body of a {@link Kind#STATUS} fault, null otherwise. */
    public String errorCode() { return errorCode; }

    /** The {@code message} of the error body of a {@link Kind#STATUS} fault, null otherwise. */
    public String message() { return message; }

    /** The delay of a {@link Kind#LATENCY} fault, zero otherwise. */
    public Duration latency() { return latency; }

    /** How many matching requests this fault applies to. */
    public int times() { return times; }

    /** The endpoint this fault targets. */
    public Endpoint endpoint() { return endpoint; }

    static String defaultErrorCode(int status) {
        return switch (status) {
            case 400 -> "ERR_BAD_REQUEST";
            case 401 -> "390144";
            case 403 -> "ERR_FORBIDDEN";
            case 404 -> "ERR_NOT_FOUND";
            case 408 -> "ERR_REQUEST_TIMEOUT";
            case 409 -> "ERR_CONFLICT";
            case 410 -> "ERR_PIPE_FAILED_OVER";
            case 413 -> "ERR_PAYLOAD_TOO_LARGE";
            case 429 -> "ERR_TOO_MANY_REQUESTS";
            case 500 -> "ERR_INTERNAL_ERROR";
            case 502 -> "ERR_BAD_GATEWAY";
            case 503 -> "ERR_SERVICE_UNAVAILABLE";
            case 504 -> "ERR_GATEWAY_TIMEOUT";
            default -> "ERR_HTTP_" + status;
        };
    }

    static String defaultMessage(int status) {
        return switch (status) {
            case 401 -> "JWT token is invalid.";
            case 408, 429, 500, 502, 503, 504 -> "Injected fault: the service is temporarily unavailable, please retry.";
            case 410 -> "Injected fault: the pipe failed over, please recreate the client.";
            default -> "Injected fault: HTTP " + status + ".";
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STATUS -> "Fault.status(" + httpStatus + ")";
            case DROP_CONNECTION -> "Fault.dropConnection()";
            case DROP_RESPONSE -> "Fault.dropResponse()";
            case LATENCY -> "Fault.latency(" + latency + ")";
        } + ".times(" + times + ").on(" + endpoint + ")";
    }
}
