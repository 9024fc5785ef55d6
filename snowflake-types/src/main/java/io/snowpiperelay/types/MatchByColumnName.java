package io.snowpiperelay.types;

/**
 * How a pipe meets top-level row keys with table columns: COPY's {@code MATCH_BY_COLUMN_NAME} (§2 of
 * {@code snowflake-streaming-types.md}). A table's default streaming pipe matches case-insensitively.
 */
public enum MatchByColumnName {
    /** A key meets the column whose stored name it equals exactly. */
    CASE_SENSITIVE,
    /** A key meets the column whose stored name it equals ignoring case (the default pipe's rule). */
    CASE_INSENSITIVE,
    /** No matching: the whole row is {@code $1}, loaded into the first column, or read by a SELECT transform. */
    NONE
}
