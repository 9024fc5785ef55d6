package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.spi.JsonLines;
import io.snowpiperelay.spi.SourceRecord;
import java.util.List;

/**
 * How several records share one row of a stream's table, and how a row is read back as records.
 *
 * <p>Why: SQLite's cost is per table row (a B-tree step to read it, a page change to delete it), about a microsecond
 * per row together, as much as everything else the relay does for a record. A row that holds many records pays it
 * once for all of them (docs/sqlite-outbox.md, "Packed rows").
 *
 * <p>The format: a packed row holds {@code row_count} records, their payloads one per line (NDJSON, {@code '\n'}
 * between them), and its {@code "offset"} is the offset of its last record; the records' offsets are
 * {@code offset - row_count + 1 ... offset}, one each, in line order. Only a payload the append checked
 * ({@code JsonPayloads.isPlainObject}: one JSON object, on one line) that starts with {@code '{'} and ends with
 * {@code '}'} is packed: it holds no line break, so the lines split back into exactly the payloads appended. A row
 * of one record is stored as it always was (any payload, {@code row_count} 1).
 */
public final class PackedRows {

    /** Between the payloads of a packed row. */
    public static final char SEPARATOR = '\n';

    private PackedRows() {
    }

    /**
     * Whether {@code payload}, whose UTF-8 form the append found to be a plain JSON object when {@code checked}, may
     * share a row: checked, and nothing around the object (so the packed text is exactly the payloads and the
     * separators).
     */
    public static boolean packable(String payload, boolean checked) {
        int length = payload.length();
        return checked && length >= 2 && payload.charAt(0) == '{' && payload.charAt(length - 1) == '}';
    }

    /**
     * Adds to {@code out} the records of one table row whose offsets are above {@code afterOffset}, until
     * {@code out} holds {@code maxRecords}.
     *
     * @param lastOffset the row's {@code "offset"}: its last record's offset
     * @param rowCount   the row's {@code row_count}
     * @param checked    the row's {@code payload_checked}
     * @param payload    the row's payload as UTF-8 (for a packed row, the lines)
     * @throws CorruptRowException when a packed row's lines do not match its {@code row_count} or it is not marked
     *                             checked: the table was edited by something other than the outbox
     */
    public static void unpack(long lastOffset, int rowCount, boolean checked, byte[] payload, long afterOffset,
                              int maxRecords, List<SourceRecord> out) {
        if (rowCount == 1) {
            if (lastOffset > afterOffset) {
                // Checked by the producer's append (payload_checked = 1): the runner does not scan it again.
                out.add(checked ? SourceRecord.ofCheckedJsonUtf8(lastOffset, payload)
                        : SourceRecord.ofJsonUtf8(lastOffset, payload));
            }
            return;
        }
        if (rowCount < 1 || !checked) {
            throw new CorruptRowException(lastOffset, "row_count is " + rowCount + " and payload_checked is "
                    + (checked ? 1 : 0) + "; the outbox writes row_count >= 1, and > 1 only with payload_checked 1");
        }
        // The records share the row's array (no copy per record), and the split marks them as one line each.
        int lines = JsonLines.addCheckedLines(payload, 0, payload.length, lastOffset - rowCount + 1, afterOffset,
                maxRecords, out);
        if (lines < 0) {
            throw new CorruptRowException(lastOffset, "it holds a carriage return");
        }
        if (lines != rowCount) {
            throw new CorruptRowException(lastOffset, "it holds " + lines + " lines but row_count is " + rowCount);
        }
    }

    /**
     * The payload of a packed row without its first {@code records} records: the text after the
     * {@code records}-th separator.
     *
     * @throws CorruptRowException when the payload has fewer separators than that
     */
    public static String dropFirst(long lastOffset, String payload, int records) {
        int from = 0;
        for (int dropped = 0; dropped < records; dropped++) {
            int separator = payload.indexOf(SEPARATOR, from);
            if (separator < 0) {
                throw new CorruptRowException(lastOffset, "it holds fewer lines than its row_count");
            }
            from = separator + 1;
        }
        return payload.substring(from);
    }

    /** A table row that is not what the outbox writes: the relay must stop rather than guess which record is which. */
    public static final class CorruptRowException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptRowException(long lastOffset, String what) {
            super("the row at offset " + lastOffset + " is not a row the outbox wrote: " + what
                    + "; restore the file from a backup or move the row out by hand (docs/sqlite-outbox.md)");
        }
    }
}
