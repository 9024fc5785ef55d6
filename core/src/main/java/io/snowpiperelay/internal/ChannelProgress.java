package io.snowpiperelay.internal;

/**
 * Where a channel stands, in offsets: what was read, sent, confirmed committed and deleted, and whether the
 * source had anything more. The runner's {@code metrics()} and {@code isDrained()} read it from any thread.
 *
 * <p>Written by the runner's thread only; the fields are volatile so other threads see them without a lock.
 */
public final class ChannelProgress {
    private volatile long committedOffset;
    private volatile long appendedOffset;
    private volatile long lastSentOffset;
    private volatile long deletedOffset;
    private volatile boolean sourceEmpty;
    private volatile long retainedOffset;

    /** The highest committed offset read from the channel. */
    public long committedOffset() {
        return committedOffset;
    }

    void committedOffset(long offset) {
        committedOffset = offset;
    }

    /** The offset the next read starts after: the last record handled (appended or dead-lettered). */
    public long appendedOffset() {
        return appendedOffset;
    }

    void appendedOffset(long offset) {
        appendedOffset = offset;
    }

    /** The last offset handed to {@code appendRows} on the current channel instance (what close() waits for). */
    public long lastSentOffset() {
        return lastSentOffset;
    }

    void lastSentOffset(long offset) {
        lastSentOffset = offset;
    }

    /** The highest offset deleted from the source. */
    public long deletedOffset() {
        return deletedOffset;
    }

    void deletedOffset(long offset) {
        deletedOffset = offset;
    }

    /** Whether the last read of the source returned nothing. */
    public boolean sourceEmpty() {
        return sourceEmpty;
    }

    void sourceEmpty(boolean empty) {
        sourceEmpty = empty;
    }

    /**
     * The committed offset found at open that was not deleted because the source could not vouch for its range
     * (0 when none): those rows stay in the source until a later commit, and are not the runner's to delete now.
     */
    public long retainedOffset() {
        return retainedOffset;
    }

    void retainedOffset(long offset) {
        retainedOffset = offset;
    }

    /** Everything sent was confirmed, and everything confirmed (that the runner may delete) was deleted. */
    public boolean caughtUp() {
        long committed = committedOffset;
        return committed >= lastSentOffset && (deletedOffset >= committed || committed <= retainedOffset);
    }
}
