package io.snowpiperelay.testing;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.RelayListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Records listener events, thread-safely. */
public final class RecordingListener implements RelayListener {
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<Long> opened = new CopyOnWriteArrayList<>();
    public final List<Long> committed = new CopyOnWriteArrayList<>();
    public final List<Long> deleted = new CopyOnWriteArrayList<>();
    public final List<Throwable> reopenCauses = new CopyOnWriteArrayList<>();
    public final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    public final List<Throwable> fatals = new CopyOnWriteArrayList<>();
    public final AtomicLong rowErrors = new AtomicLong();
    public final AtomicLong appendedRows = new AtomicLong();
    /** "field@offset" of each unknownField event. */
    public final List<String> unknownFields = new CopyOnWriteArrayList<>();

    @Override
    public void unknownField(String channel, String field, long offset) {
        unknownFields.add(field + "@" + offset);
    }

    @Override
    public void opened(String channel, long committedOffset) {
        opened.add(committedOffset);
        events.add("opened " + channel + " " + committedOffset);
    }

    @Override
    public void appended(String channel, long firstOffset, long lastOffset, int rows) {
        appendedRows.addAndGet(rows);
    }

    @Override
    public void committed(String channel, long committedOffset) {
        committed.add(committedOffset);
    }

    @Override
    public void deleted(String channel, long upToOffset) {
        deleted.add(upToOffset);
    }

    @Override
    public void reopened(String channel, long resumeAfterOffset, Throwable cause) {
        reopenCauses.add(cause);
        events.add("reopened " + channel + " " + resumeAfterOffset);
    }

    @Override
    public void rowErrors(String channel, long newErrors, String lastErrorOffsetUpperBound, String lastErrorMessage) {
        rowErrors.addAndGet(newErrors);
        events.add("rowErrors " + channel + " " + newErrors + " " + lastErrorOffsetUpperBound);
    }

    @Override
    public void deadLettered(String channel, DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    @Override
    public void fatal(String channel, Throwable error) {
        fatals.add(error);
        events.add("fatal " + channel + " " + error.getClass().getSimpleName());
    }
}
