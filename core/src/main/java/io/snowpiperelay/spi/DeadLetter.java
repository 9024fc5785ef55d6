package io.snowpiperelay.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A source record the relay could not send, with the reason. The relay hands it to a
 * {@link DeadLetterHandler} before the record's offset can be deleted from the source, so nothing is lost.
 *
 * @param channel    the channel the record was meant for
 * @param offset     the record's offset in its source
 * @param payload    the original payload as text (JSON text, or the row map's {@code toString()})
 * @param reason     why it could not be sent, by kind and place only, never quoting the payload (safe to log at
 *                   WARN), e.g. "payload is not valid JSON: unexpected token at line 1, column 19", or for a row the
 *                   target table would reject, the table, column, rule and type, e.g.
 *                   "LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 3 characters is not a number (NUMBER(38,0))"
 * @param recordedAt when the relay gave up on it
 */
public record DeadLetter(String channel, long offset, String payload, String reason, Instant recordedAt) {

    public DeadLetter {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    @Override
    public String toString() {
        // The payload stays out of toString(): it may hold personal data.
        return "DeadLetter[channel=" + channel + ", offset=" + offset + ", reason=" + reason + "]";
    }
}
