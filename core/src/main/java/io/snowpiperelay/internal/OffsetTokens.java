package io.snowpiperelay.internal;

import io.snowpiperelay.RelayHaltedException;

/**
 * Offset tokens are decimal strings of offsets; they are compared as numbers, never as strings
 * ("9" &lt; "10"), invariant 3.
 */
public final class OffsetTokens {
    private OffsetTokens() {
    }

    /**
     * Parses a committed token. {@code null} means the channel has committed nothing: 0.
     *
     * @throws RelayHaltedException ({@code INVALID_OFFSET_TOKEN}) when the token is not a non-negative decimal long
     */
    public static long parse(String channel, String token) {
        if (token == null) {
            return 0L;
        }
        int n = token.length();
        if (n == 0 || n > 19) {
            throw RelayHaltedException.invalidOffsetToken(channel, token);
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                throw RelayHaltedException.invalidOffsetToken(channel, token);
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw RelayHaltedException.invalidOffsetToken(channel, token);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The token for an offset. */
    public static String of(long offset) {
        return Long.toString(offset);
    }
}
