package io.snowpiperelay.internal;

import io.snowpiperelay.UndeliverableRecordException;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.time.Instant;

/**
 * Sends records the runner cannot append to a {@link DeadLetterHandler}: the one given, else the source itself
 * when it is a handler, else none, and then such a record stops the runner with
 * {@link UndeliverableRecordException} (never silently dropped).
 *
 * <p>The letter is handed over before the record's offset can be deleted: deletion needs a later committed
 * token, which needs a later append. Runner thread only.
 */
public final class DeadLetterRouter {
    private final String channel;
    private final DeadLetterHandler handler;
    private final RunnerCounters counters;
    private final ListenerEvents events;

    /** Routes {@code channel}'s letters to {@code given}, or to {@code source} if null and it is a handler. */
    public DeadLetterRouter(String channel, DeadLetterHandler given, OffsetSource source, RunnerCounters counters,
                            ListenerEvents events) {
        this.channel = channel;
        this.handler = resolve(given, source, channel);
        this.counters = counters;
        this.events = events;
    }

    private static DeadLetterHandler resolve(DeadLetterHandler given, OffsetSource source, String channel) {
        if (given != null) {
            return given;
        }
        if (source instanceof DeadLetterHandler sourceHandler) {
            return sourceHandler;
        }
        return letter -> {
            throw new UndeliverableRecordException(channel, letter.offset(), letter.reason());
        };
    }

    /** Hands {@code record} over with {@code reason}, which must not quote the payload (it may be logged). */
    void route(SourceRecord record, String reason) {
        String payload = record.isJson() ? record.json() : String.valueOf(record.row());
        DeadLetter letter = new DeadLetter(channel, record.offset(), payload, reason, Instant.now());
        handler.handle(letter);
        counters.deadLetters.increment();
        RunnerLog.LOG.debug("{} - offset {} dead-lettered: {}", channel, record.offset(), reason);
        events.deadLettered(letter);
    }
}
