package io.snowpiperelay.spi;

import java.time.Instant;

/**
 * Observes a runner's life. Every method has a no-op default; implement only what you need.
 *
 * <h2>Threading and failures</h2>
 * Called from the runner's own thread (a {@code RelayGroup} calls each member's events from that member's
 * thread), one event at a time per runner; a listener shared by several runners must be thread-safe. Calls
 * must return quickly: the runner's loop waits for them. An exception thrown by a listener is logged at WARN
 * and ignored; it never stops the runner.
 *
 * <p>Per-row events do not exist on purpose: {@link #appended} is called once per {@code appendRows} call.
 */
public interface RelayListener {

    /** The channel was opened; the runner resumes after {@code committedOffset} (0 when nothing was committed). */
    default void opened(String channel, long committedOffset) {
    }

    /** One {@code appendRows} call returned: {@code rows} rows with offsets {@code firstOffset..lastOffset}. */
    default void appended(String channel, long firstOffset, long lastOffset, int rows) {
    }

    /** Snowflake confirmed everything up to {@code committedOffset} as committed. */
    default void committed(String channel, long committedOffset) {
    }

    /** The source deleted every record up to {@code upToOffset}, all of them confirmed committed. */
    default void deleted(String channel, long upToOffset) {
    }

    /**
     * The channel (or the client) failed and was reopened; the runner rewinds to {@code resumeAfterOffset}
     * and appends again what was not committed.
     */
    default void reopened(String channel, long resumeAfterOffset, Throwable cause) {
    }

    /**
     * The service reported {@code newErrors} rejected rows since the last report (the channel status's
     * cumulative count, minus what it was at open). {@code lastErrorMessage} is the service's text and may
     * quote row values: do not log it where row contents must not go.
     */
    default void rowErrors(String channel, long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
    }

    /**
     * A record could not be sent, or the service rejected it after it was sent, and was handed to the dead-letter
     * handler, which stored it. The letter's reason may quote row values (see {@link DeadLetter#reason()}).
     */
    default void deadLettered(String channel, DeadLetter deadLetter) {
    }

    /**
     * The service at {@code url} cannot be reached ({@code cause}: connection refused, DNS, TLS, timeout) since
     * {@code since}, while the runner waits for its client. Called when found and again at a calm interval (about
     * every 30 s) while it lasts; the SDK keeps retrying meanwhile.
     */
    default void serviceUnreachable(String channel, String url, String cause, Instant since) {
    }

    /**
     * A row's field {@code field} (first seen at {@code offset}) matches no column of the target table: Snowflake
     * drops it and stores the rest of the row. Called once per field name per runner, and only when the runner knows
     * the columns (a {@code RowChecker}).
     */
    default void unknownField(String channel, String field, long offset) {
    }

    /** The runner stopped for good with {@code error} (its state is {@code FAILED}). Called once. */
    default void fatal(String channel, Throwable error) {
    }
}
