package io.snowpiperelay;

/**
 * Snowflake refused the credentials or the role lacks a privilege (HTTP 401/403 after the SDK's own
 * retries). Fatal at once: retrying cannot fix it.
 */
public final class AuthenticationException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String target;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public AuthenticationException(String target, String sdkErrorCode, Throwable cause) {
        super(target + ": authentication or authorisation failed (" + sdkErrorCode + "). Check that the user's"
                + " public key matches the private key in the profile (DESC USER <user>: RSA_PUBLIC_KEY_FP),"
                + " that the account, user and role are right, and that the role has been granted OPERATE/INSERT"
                + " on the pipe and INSERT on the table.", cause);
        this.target = target;
    }

    /** What was being accessed (database.schema.pipe or channel). */
    public String target() {
        return target;
    }
}
