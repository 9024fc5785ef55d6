package io.snowpiperelay.internal;

import io.snowpiperelay.spi.SourceRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a {@link SourceRecord} into the row map the SDK takes, or says why it cannot.
 *
 * <ul>
 *   <li>A JSON payload that is one object on one line without repeated keys (the usual outbox row) becomes a
 *       {@link RawJsonRow}: validated, not parsed, and sent to the SDK as its own bytes. A record its source
 *       marked as checked ({@link SourceRecord#isCheckedObject()}) is not validated again.</li>
 *   <li>Any other JSON is read by {@link JsonRowReader} into a map: decimals become {@link BigDecimal} (no
 *       precision lost on the way to NUMBER(p,s)), integers stay {@code Integer}/{@code Long}/{@code BigInteger}
 *       as large as they are, nested objects and arrays stay {@code Map}/{@code List} for VARIANT, OBJECT and
 *       ARRAY columns.</li>
 *   <li>A payload that does not parse, is not a JSON object, has trailing content, or is larger than the
 *       per-row byte cap is refused with a reason (the runner dead-letters it).</li>
 * </ul>
 *
 * <p>A reason names the kind of problem and where it is (line, column), never any of the payload's text: sources
 * log reasons at WARN and store them next to the payload, and a row's contents must not reach logs above DEBUG
 * (a bad token is often the very value that should not leak, e.g. a card number without quotes).
 *
 * <p>Thread-safe; allocation per row is the map and its values.
 */
public final class RowConverter {
    private final int maxRowBytes;

    /** @param maxRowBytes the largest payload accepted, in UTF-8 bytes */
    public RowConverter(int maxRowBytes) {
        this.maxRowBytes = maxRowBytes;
    }

    /** The outcome of one conversion; reused across rows by the caller to avoid an allocation per row. */
    public static final class Result {
        /** The row, when the conversion succeeded; otherwise {@code null}. */
        public Map<String, Object> row;
        /** The payload's size in bytes (UTF-8 JSON length, or an estimate for row records). */
        public int bytes;
        /** Why the record was refused, when {@link #row} is {@code null}. */
        public String failure;
        /**
         * The array holding the payload's UTF-8 bytes when the record is JSON and was converted, for the row check;
         * else null. The payload is {@link #utf8Length} bytes from {@link #utf8From} (a line of a shared block
         * need not start at 0).
         */
        public byte[] utf8;
        /** Where the payload starts in {@link #utf8}. */
        public int utf8From;
        /** The payload's length in bytes in {@link #utf8}. */
        public int utf8Length;
    }

    /**
     * Converts {@code record} into {@code out}.
     *
     * @return true when {@code out.row} is set; false when {@code out.failure} says why not
     */
    public boolean convert(SourceRecord record, Result out) {
        out.row = null;
        out.failure = null;
        setUtf8(out, null, 0, 0);
        if (record.isJson()) {
            return convertJson(record, out);
        }
        Map<String, Object> row = record.row();
        int bytes = estimateBytes(row);
        out.bytes = bytes;
        if (bytes > maxRowBytes) {
            out.failure = "row is about " + bytes + " bytes, above maxRowBytes " + maxRowBytes;
            return false;
        }
        out.row = row;
        return true;
    }

    private boolean convertJson(SourceRecord record, Result out) {
        byte[] utf8 = record.jsonUtf8Block();
        int from = record.jsonUtf8From();
        int length = record.jsonUtf8Length();
        if (utf8 == null) {
            // One encode (an intrinsic for ASCII) gives the exact size and the bytes the raw row needs.
            utf8 = record.json().getBytes(StandardCharsets.UTF_8);
            from = 0;
            length = utf8.length;
        }
        out.bytes = length;
        if (length > maxRowBytes) {
            out.failure = "payload is " + length + " bytes, above maxRowBytes " + maxRowBytes;
            return false;
        }
        // A payload its source checked when storing it is not scanned again: only for line breaks and braces, and a
        // line core split off a block at line breaks only for its braces.
        RawJsonRow raw = record.isCheckedObject()
                ? RawJsonRow.ofChecked(utf8, from, length, record.isOneCheckedLine()) : null;
        if (raw == null && (from != 0 || length != utf8.length)) {
            // The full check below reads whole arrays: a shared block's line takes the (rare) copy.
            utf8 = record.jsonUtf8();
            from = 0;
        }
        if (raw == null) {
            raw = RawJsonRow.of(utf8);
        }
        if (raw != null) {
            out.row = raw;
            setUtf8(out, utf8, from, length);
            return true;
        }
        // Not a plain one-line object without repeated keys: parse it into a map, or say why not.
        try {
            out.row = JsonRowReader.read(utf8);
            setUtf8(out, utf8, from, length);
            return true;
        } catch (JsonRowReader.Refused e) {
            out.failure = e.getMessage();
            return false;
        }
    }

    private static void setUtf8(Result out, byte[] utf8, int from, int length) {
        out.utf8 = utf8;
        out.utf8From = from;
        out.utf8Length = length;
    }

    /** UTF-8 length of {@code s} without encoding it. */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for the pair, counted as 2 chars already
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * A cheap estimate of a row's JSON size, for rows that come as maps. Used for the byte caps only; it need
     * not be exact, only of the right magnitude.
     */
    public static int estimateBytes(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof CharSequence cs) {
            return cs.length() + 2;
        }
        if (value instanceof Map<?, ?> m) {
            long sum = 2;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sum += String.valueOf(e.getKey()).length() + 4 + estimateBytes(e.getValue());
            }
            return (int) Math.min(Integer.MAX_VALUE, sum);
        }
        if (value instanceof Collection<?> c) {
            long sum = 2;
            for (Object o : c) {
                sum += 1 + estimateBytes(o);
            }
            return (int) Math.min(Integer.MAX_VALUE, sum);
        }
        if (value instanceof byte[] b) {
            return b.length * 4 / 3 + 4;
        }
        return 24;
    }
}
