package io.snowpiperelay.testkit.internal;

/** Converts one NDJSON line into a table row. Thread-safe. */
public interface RowConverter {

    /**
     * @return an {@code Object[]} of JDBC-bindable values aligned with the table's columns, or a
     *         {@link RowFailure} when the row is rejected
     */
    Object convert(byte[] buf, int offset, int length);

    /** A rejected row. */
    record RowFailure(String column, String message) {
    }
}
