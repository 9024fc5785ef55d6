package io.snowpiperelay.guarantees.harness;

/** The stdout line prefixes {@link RelayMain} prints and the harness waits for. One constant per event. */
public final class Markers {
    /** {@code READY <pid>}: the group is started (channels open asynchronously). */
    public static final String READY = "READY";
    /** {@code OPENED <channel> <committedOffset>}. */
    public static final String OPENED = "OPENED";
    /** {@code APPENDED <channel> <first> <last>}: an appendRows call returned; its commit is not confirmed yet. */
    public static final String APPENDED = "APPENDED";
    /** {@code COMMITTED <channel> <offset>}. */
    public static final String COMMITTED = "COMMITTED";
    /** {@code DELETING <channel> <upTo>}: a source delete is about to start. */
    public static final String DELETING = "DELETING";
    /** {@code DELETED <channel> <upTo>}: a source delete finished. */
    public static final String DELETED = "DELETED";
    /** {@code REOPENED <channel> <resumeAfter> <cause>}. */
    public static final String REOPENED = "REOPENED";
    /** {@code ROW_ERRORS <channel> <newErrors> <lastErrorOffsetUpperBound>}. */
    public static final String ROW_ERRORS = "ROW_ERRORS";
    /** {@code DEAD_LETTER <channel> <offset>}. */
    public static final String DEAD_LETTER = "DEAD_LETTER";
    /** {@code FATAL <channel> <exception class>: <message>}: a channel stopped for good. */
    public static final String FATAL = "FATAL";
    /** {@code REFUSED <exception class>: <message>}: the relay could not start (e.g. the outbox is locked). */
    public static final String REFUSED = "REFUSED";
    /** {@code CLOSED <fatalCount>}: a graceful close finished. */
    public static final String CLOSED = "CLOSED";

    private Markers() {
    }
}
