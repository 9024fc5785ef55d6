package io.snowpiperelay.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One row of an {@link OffsetSource}: its offset and its payload, either JSON text (the usual case for an
 * outbox) or an already-built row map (for sources that hold structured data).
 *
 * <p>Exactly one of {@link #json()} and {@link #row()} is non-null. Instances are immutable if the row map
 * given to {@link #ofRow} is not modified afterwards.
 *
 * @param offset the record's offset: &gt; 0 and strictly increasing within a source
 * @param json   the payload as JSON text (must be a JSON object), or {@code null} when {@code row} is set
 * @param row    the payload as a column-name to value map, or {@code null} when {@code json} is set
 */
public record SourceRecord(long offset, String json, Map<String, Object> row) {

    public SourceRecord {
        if ((json == null) == (row == null)) {
            throw new IllegalArgumentException(
                    "SourceRecord at offset " + offset + ": exactly one of json and row must be set");
        }
    }

    /** A record whose payload is JSON text (an object, one row). */
    public static SourceRecord ofJson(long offset, String json) {
        return new SourceRecord(offset, Objects.requireNonNull(json, "json"), null);
    }

    /** A record whose payload is an already-built row (column name to value, values as the SDK accepts them). */
    public static SourceRecord ofRow(long offset, Map<String, Object> row) {
        return new SourceRecord(offset, null, Objects.requireNonNull(row, "row"));
    }

    /** Whether the payload is JSON text that still has to be converted to a row. */
    public boolean isJson() {
        return json != null;
    }

    @Override
    public String toString() {
        // Never print the payload: rows may hold personal data (names, e-mail addresses).
        return "SourceRecord[offset=" + offset + (isJson() ? ", json" : ", row") + "]";
    }
}
