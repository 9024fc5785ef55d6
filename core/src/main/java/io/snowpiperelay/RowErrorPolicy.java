package io.snowpiperelay;

/** What a runner does when the service reports rows it rejected (the channel status's error count grew). */
public enum RowErrorPolicy {
    /**
     * Report the errors to the listener and the metrics and go on. Snowflake's high-performance ingestion
     * itself only supports {@code ON_ERROR = CONTINUE}: the rejected rows are committed as errors and their
     * offsets are deleted from the source like any other committed row.
     */
    CONTINUE,
    /** Report, then stop the runner with {@link RowErrorsException}; nothing further is deleted. */
    STOP
}
