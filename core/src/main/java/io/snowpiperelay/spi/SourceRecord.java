package io.snowpiperelay.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One row of an {@link OffsetSource}: its offset and its payload, which is one of
 * <ul>
 *   <li>JSON text as a {@code String} ({@link #ofJson}),</li>
 *   <li>JSON text as UTF-8 bytes ({@link #ofJsonUtf8}): the cheapest form for a source that stores text, such as
 *       the SQLite outbox; the runner parses the bytes directly, without decoding them to a {@code String} first,</li>
 *   <li>JSON text as UTF-8 bytes that the source checked when it stored them ({@link #ofCheckedJsonUtf8}): the
 *       runner then sends them without scanning them again,</li>
 *   <li>one line of a block of such checked lines, shared with the other records of the block rather than copied
 *       ({@link JsonLines#addCheckedLines}),</li>
 *   <li>an already-built row map ({@link #ofRow}), for sources that hold structured data.</li>
 * </ul>
 *
 * <p>Immutable as long as the row map or byte array handed to the factory is not modified afterwards (neither is
 * copied: this is the relay's hot path). {@link #toString()} never shows the payload.
 */
public final class SourceRecord {
    private final long offset;
    private final String json;
    /** The array holding the UTF-8 payload: the payload itself, or a block the payload is a slice of. */
    private final byte[] jsonUtf8;
    private final int jsonFrom;
    private final int jsonLength;
    private final Map<String, Object> row;
    private final boolean checkedObject;
    /** Whether core's own split found the slice free of line breaks ({@link JsonLines#addCheckedLines}). */
    private final boolean oneLine;

    private SourceRecord(long offset, String json, byte[] jsonUtf8, Map<String, Object> row, boolean checkedObject) {
        this(offset, json, jsonUtf8, 0, jsonUtf8 == null ? 0 : jsonUtf8.length, row, checkedObject, false);
    }

    private SourceRecord(long offset, String json, byte[] jsonUtf8, int jsonFrom, int jsonLength,
                         Map<String, Object> row, boolean checkedObject, boolean oneLine) {
        this.offset = offset;
        this.json = json;
        this.jsonUtf8 = jsonUtf8;
        this.jsonFrom = jsonFrom;
        this.jsonLength = jsonLength;
        this.row = row;
        this.checkedObject = checkedObject;
        this.oneLine = oneLine;
    }

    /**
     * A checked payload that is the slice {@code [from, to)} of {@code block}, which {@link JsonLines} split at line
     * breaks: only that class makes these, so a record marked one line really is one.
     */
    static SourceRecord ofCheckedLine(long offset, byte[] block, int from, int to) {
        return new SourceRecord(offset, null, block, from, to - from, null, true, true);
    }

    /** A record whose payload is JSON text (an object, one row). */
    public static SourceRecord ofJson(long offset, String json) {
        return new SourceRecord(offset, Objects.requireNonNull(json, "json"), null, null, false);
    }

    /**
     * A record whose payload is JSON text (an object, one row) encoded as UTF-8. The array is kept, not copied:
     * the caller must not change it afterwards.
     */
    public static SourceRecord ofJsonUtf8(long offset, byte[] jsonUtf8) {
        return new SourceRecord(offset, null, Objects.requireNonNull(jsonUtf8, "jsonUtf8"), null, false);
    }

    /**
     * A record whose UTF-8 JSON payload passed {@link JsonPayloads#isPlainObject} when the source stored it, so
     * that the runner need not scan it again: it only checks that the bytes are one line within braces before it
     * hands them to the SDK as they are. Use it only for bytes that passed that check; anything else takes
     * {@link #ofJsonUtf8}. The array is kept, not copied: the caller must not change it afterwards.
     */
    public static SourceRecord ofCheckedJsonUtf8(long offset, byte[] jsonUtf8) {
        return new SourceRecord(offset, null, Objects.requireNonNull(jsonUtf8, "jsonUtf8"), null, true);
    }

    /** A record whose payload is an already-built row (column name to value, values as the SDK accepts them). */
    public static SourceRecord ofRow(long offset, Map<String, Object> row) {
        return new SourceRecord(offset, null, null, Objects.requireNonNull(row, "row"), false);
    }

    /** The record's offset: &gt; 0 and strictly increasing within a source. */
    public long offset() {
        return offset;
    }

    /** Whether the payload is JSON text (either form) that still has to be converted to a row. */
    public boolean isJson() {
        return row == null;
    }

    /**
     * The payload as JSON text, decoded from UTF-8 if it was given as bytes; {@code null} for a row record.
     * Decoding allocates: the hot path reads {@link #jsonUtf8()} when it is set.
     */
    public String json() {
        if (json != null) {
            return json;
        }
        return jsonUtf8 == null ? null : new String(jsonUtf8, jsonFrom, jsonLength, StandardCharsets.UTF_8);
    }

    /**
     * The payload's UTF-8 bytes when the record was made from bytes, else {@code null}. For a record made by
     * {@link #ofJsonUtf8} or {@link #ofCheckedJsonUtf8} the array is the record's own: read it, do not change it;
     * for a line of a shared block ({@link JsonLines#addCheckedLines}) it is a copy of the line. The hot path reads
     * {@link #jsonUtf8Block()} with {@link #jsonUtf8From()} and {@link #jsonUtf8Length()} instead, which never copy.
     */
    public byte[] jsonUtf8() {
        if (jsonUtf8 == null || (jsonFrom == 0 && jsonLength == jsonUtf8.length)) {
            return jsonUtf8;
        }
        return Arrays.copyOfRange(jsonUtf8, jsonFrom, jsonFrom + jsonLength);
    }

    /**
     * The array that holds the UTF-8 payload, which is {@link #jsonUtf8Length()} bytes from {@link #jsonUtf8From()}
     * (the whole array unless the record is a line of a shared block); {@code null} unless the record was made from
     * bytes. Read it, do not change it.
     */
    public byte[] jsonUtf8Block() {
        return jsonUtf8;
    }

    /** Where the UTF-8 payload starts in {@link #jsonUtf8Block()}; 0 unless the record shares a block. */
    public int jsonUtf8From() {
        return jsonFrom;
    }

    /** The UTF-8 payload's length in bytes; 0 unless the record was made from bytes. */
    public int jsonUtf8Length() {
        return jsonLength;
    }

    /**
     * Whether the payload is known to hold no line break because core split it off a block at line breaks
     * ({@link JsonLines#addCheckedLines}); sources cannot claim it otherwise. The runner then only checks its braces.
     */
    public boolean isOneCheckedLine() {
        return oneLine;
    }

    /** Whether the source vouches that the payload passed {@link JsonPayloads#isPlainObject} ({@link #ofCheckedJsonUtf8}). */
    public boolean isCheckedObject() {
        return checkedObject;
    }

    /** The payload as a row map when the record was made by {@link #ofRow}, else {@code null}. */
    public Map<String, Object> row() {
        return row;
    }

    /**
     * Equal when offsets are equal and the payloads are the same JSON text (in either form) or equal row maps;
     * whether the source checked the payload does not matter.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SourceRecord other) || offset != other.offset || isJson() != other.isJson()) {
            return false;
        }
        if (!isJson()) {
            return row.equals(other.row);
        }
        if (jsonUtf8 != null && other.jsonUtf8 != null) {
            return Arrays.equals(jsonUtf8, jsonFrom, jsonFrom + jsonLength,
                    other.jsonUtf8, other.jsonFrom, other.jsonFrom + other.jsonLength);
        }
        return json().equals(other.json());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + (isJson() ? json().hashCode() : row.hashCode());
    }

    @Override
    public String toString() {
        // Never print the payload: rows may hold personal data (names, e-mail addresses).
        return "SourceRecord[offset=" + offset + (isJson() ? ", json" : ", row") + "]";
    }
}
