package io.snowpiperelay.spi;

import io.snowpiperelay.internal.RawJsonRow;
import java.util.Objects;

/**
 * The check a source may run on a JSON payload when it stores it, so that the runner can skip it when it reads
 * the record back ({@link SourceRecord#ofCheckedJsonUtf8}). The SQLite outbox runs it on the producer's thread
 * at append time, where it costs the producer what it saves the relay.
 */
public final class JsonPayloads {

    private JsonPayloads() {
    }

    /**
     * Whether {@code jsonUtf8} is exactly what the runner sends to the SDK as its own bytes: one valid JSON object
     * on one line, no key repeated in any object, nothing but whitespace around it. A payload that is not can
     * still be relayed (the runner parses it into a map, or dead-letters it); it only must not be marked checked.
     */
    public static boolean isPlainObject(byte[] jsonUtf8) {
        return RawJsonRow.of(Objects.requireNonNull(jsonUtf8, "jsonUtf8")) != null;
    }
}
