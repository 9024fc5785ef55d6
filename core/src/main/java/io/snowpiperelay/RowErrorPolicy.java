package io.snowpiperelay;

/**
 * What a runner does when the service reports rows it rejected (the channel status's error count grew).
 *
 * <p>Snowflake's high-performance ingestion only works with {@code ON_ERROR = CONTINUE}: a rejected row is counted
 * in the channel status and the committed offset token moves past it. Deleting that range from the source blindly
 * would lose the row; both policies make sure it is not.
 */
public enum RowErrorPolicy {
    /**
     * The default: before the range that held the rejected rows is deleted from the source, the rows the service did
     * not take are found and handed to the dead-letter handler with the service's reason, then the relay goes on.
     * They are found on the quarantine pipe when one is configured (each suspect row re-sent to a scratch table with
     * the same columns, so nothing lands twice in the real table); without one, every row of the suspect range is
     * dead-lettered, flagged as one that may also have landed. See {@code docs/exactly-once.md}.
     */
    DEAD_LETTER,
    /** Report, then stop the runner with {@link RowErrorsException}; nothing at or after the rejected rows is deleted. */
    STOP
}
