package io.snowpiperelay;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The runner stopped at once because something outside it must be fixed first: the credentials or grants, the
 * names of the Snowflake objects, the channel (written or reset by someone else), or the source (offsets out of
 * order). Restarting without that fix fails the same way. Nothing unconfirmed was deleted from the source.
 *
 * <p>One type for these cases because a caller handles them alike (stop, report, let a person fix it);
 * {@link #reason()} says which one it is, for a caller that reports them differently:
 *
 * <pre>{@code
 * if (runner.failure().orElse(null) instanceof RelayHaltedException halted) {
 *     switch (halted.reason()) {
 *         case AUTHENTICATION, OBJECT_NOT_FOUND, CONFIGURATION_REJECTED -> alertOperators(halted);
 *         case INVALID_OFFSET_TOKEN, COMMITTED_TOKEN_REGRESSED, OFFSET_ORDER -> alertOwners(halted);
 *     }
 * }
 * }</pre>
 *
 * <p>The cases a caller acts on differently have their own types: {@link ChannelFencedException},
 * {@link SourceRegressionException}, {@link RetriesExhaustedException}, {@link RowErrorsException} and
 * {@link UndeliverableRecordException}.
 */
public final class RelayHaltedException extends RelayException {
    private static final long serialVersionUID = 1L;

    /** Why the runner halted; each value names what to fix. */
    public enum Reason {
        /**
         * Snowflake refused the credentials or the role lacks a privilege (HTTP 401/403 after the SDK's own
         * retries): fix the key, user, role or grants.
         */
        AUTHENTICATION,
        /**
         * The database, schema, pipe or table does not exist or is not visible to the role (HTTP 404 at client
         * build or channel open): fix the names or the grants.
         */
        OBJECT_NOT_FOUND,
        /** The SDK rejected the client configuration (the profile's url or property values): fix the profile. */
        CONFIGURATION_REJECTED,
        /**
         * The channel's committed offset token is not a non-negative decimal long (invariant 3): something other
         * than this relay wrote to the channel. {@link #token()} holds it.
         */
        INVALID_OFFSET_TOKEN,
        /**
         * The channel's committed token went backwards while the runner was running: someone dropped or reset
         * the channel. {@link #previousOffset()} and {@link #offset()} hold the committed offsets before and now.
         */
        COMMITTED_TOKEN_REGRESSED,
        /**
         * The source returned an offset that is not &gt; 0 or not strictly above the previous one (invariant 4),
         * detected before any row of the batch was sent: fix the source. {@link #previousOffset()} and
         * {@link #offset()} hold the offsets.
         */
        OFFSET_ORDER
    }

    private final Reason reason;
    private final String channel;
    private final String token;
    private final Long previousOffset;
    private final Long offset;

    private RelayHaltedException(Reason reason, String channel, String token, Long previousOffset, Long offset,
                                 String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.channel = channel;
        this.token = token;
        this.previousOffset = previousOffset;
        this.offset = offset;
    }

    /**
     * Snowflake refused the credentials or a privilege.
     *
     * @param channel      the channel name
     * @param target       what was being accessed (e.g. {@code "channel C on DB.S.P"}), for the message
     * @param sdkErrorCode the SDK's error code
     */
    public static RelayHaltedException authentication(String channel, String target, String sdkErrorCode,
                                                      Throwable cause) {
        return new RelayHaltedException(Reason.AUTHENTICATION, channel, null, null, null,
                target + ": authentication or authorisation failed (" + sdkErrorCode + "). Check that the user's"
                        + " public key matches the private key in the profile (DESC USER <user>: RSA_PUBLIC_KEY_FP),"
                        + " that the account, user and role are right, and that the role has been granted"
                        + " OPERATE/INSERT on the pipe and INSERT on the table.", cause);
    }

    /**
     * A Snowflake object does not exist or is not visible to the role.
     *
     * @param channel the channel name
     * @param target  what was being accessed, for the message
     * @param detail  the SDK's error code or message
     */
    public static RelayHaltedException objectNotFound(String channel, String target, String detail,
                                                      Throwable cause) {
        return new RelayHaltedException(Reason.OBJECT_NOT_FOUND, channel, null, null, null,
                target + ": not found or not authorised (" + detail + "). Check the database, schema and pipe names"
                        + " (a table's default pipe is <TABLE>-STREAMING), that the table exists, and that the role"
                        + " is granted USAGE on the database and schema and OPERATE on the pipe.", cause);
    }

    /**
     * The SDK rejected the client configuration.
     *
     * @param channel the channel name
     * @param detail  the SDK's message (never holds the private key)
     */
    public static RelayHaltedException configurationRejected(String channel, String detail, Throwable cause) {
        return new RelayHaltedException(Reason.CONFIGURATION_REJECTED, channel, null, null, null,
                "channel " + channel + ": the SDK rejected the client configuration (" + detail + "). Check the"
                        + " profile's url (http(s)://host with three labels) and property values.", cause);
    }

    /** The channel's committed offset token is not a non-negative decimal long. */
    public static RelayHaltedException invalidOffsetToken(String channel, String token) {
        return new RelayHaltedException(Reason.INVALID_OFFSET_TOKEN, channel, token, null, null,
                "channel " + channel + ": committed offset token '" + token + "' is not a non-negative decimal"
                        + " offset; the channel was written by something other than this relay. Use a channel name"
                        + " of your own, or reset the channel (drop it) if its data is not needed.", null);
    }

    /** The channel's committed offset went back from {@code previousCommittedOffset} to {@code committedOffset}. */
    public static RelayHaltedException committedTokenRegressed(String channel, long previousCommittedOffset,
                                                               long committedOffset) {
        return new RelayHaltedException(Reason.COMMITTED_TOKEN_REGRESSED, channel, null, previousCommittedOffset,
                committedOffset, "channel " + channel + ": committed token went back from " + previousCommittedOffset
                        + " to " + committedOffset + "; the channel was dropped or reset while this runner used it."
                        + " Nothing further was deleted from the source. Find out who reset the channel before"
                        + " restarting.", null);
    }

    /**
     * The source returned {@code offset} after {@code previousOffset}.
     *
     * @param source the source's description, for the message
     */
    public static RelayHaltedException offsetOrder(String channel, long previousOffset, long offset, String source) {
        return new RelayHaltedException(Reason.OFFSET_ORDER, channel, null, previousOffset, offset,
                "channel " + channel + ": " + source + " returned offset " + offset + " after offset "
                        + previousOffset + "; offsets must be > 0 and strictly increasing. Fix the source (offsets"
                        + " must never be reused).", null);
    }

    /** Why the runner halted. */
    public Reason reason() {
        return reason;
    }

    /** The channel name. */
    public String channel() {
        return channel;
    }

    /** The committed offset token as read from the channel; present for {@link Reason#INVALID_OFFSET_TOKEN}. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /**
     * The offset before: the committed offset seen before ({@link Reason#COMMITTED_TOKEN_REGRESSED}) or the offset
     * before the offending one ({@link Reason#OFFSET_ORDER}); empty for the other reasons.
     */
    public OptionalLong previousOffset() {
        return previousOffset == null ? OptionalLong.empty() : OptionalLong.of(previousOffset);
    }

    /**
     * The offset now: the lower committed offset ({@link Reason#COMMITTED_TOKEN_REGRESSED}) or the offending offset
     * ({@link Reason#OFFSET_ORDER}); empty for the other reasons.
     */
    public OptionalLong offset() {
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
