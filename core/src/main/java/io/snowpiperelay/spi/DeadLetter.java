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
 * @param reason     why it could not be sent or was not taken. The relay's own reasons name the kind and place only,
 *                   never quoting the payload: "payload is not valid JSON: unexpected token at line 1, column 19",
 *                   or for a row the target table would reject, the table, column, rule and type, e.g.
 *                   "LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 3 characters is not a number (NUMBER(38,0))". A row
 *                   the service rejected after it was sent carries the service's message, which names the column
 *                   and the rule and may quote the value ({@code "rejected by the service: Numeric value 'abc' is
 *                   not recognized (column ...)"}), so reasons are logged at DEBUG only. A reason starting with
 *                   {@link #MAY_HAVE_LANDED} is a row kept because the relay could not tell whether the service took
 *                   it: check the table before replaying it.
 * @param recordedAt when the relay gave up on it
 */
public record DeadLetter(String channel, long offset, String payload, String reason, Instant recordedAt) {

    /**
     * The start of the reason of a row kept because the service rejected some rows of its range and the relay could
     * not tell which (no quarantine pipe configured, or it failed): the row may also be in the table.
     */
    public static final String MAY_HAVE_LANDED = "[may have landed] ";

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
