package io.snowpiperelay.examples.outbox;

import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;

import java.nio.file.Path;
import java.util.List;

/** A {@link SkiOutbox} in one SQLite file ({@link SqliteOutbox}). */
public final class SqliteSkiOutbox implements SkiOutbox {

    private final SqliteOutbox outbox;

    private SqliteSkiOutbox(SqliteOutbox outbox) {
        this.outbox = outbox;
    }

    /** Opens the file; creates it only when {@code create}. */
    public static SqliteSkiOutbox open(Path file, boolean create) {
        return new SqliteSkiOutbox(SqliteOutbox.open(file, OutboxConfig.builder().createIfMissing(create).build()));
    }

    /** The SQLite outbox itself. */
    public SqliteOutbox outbox() {
        return outbox;
    }

    @Override
    public String location() {
        return outbox.file().toString();
    }

    @Override
    public void appendAll(String stream, List<String> jsonPayloads) {
        outbox.appendAll(stream, jsonPayloads);
    }

    @Override
    public long pendingCount(String stream) {
        return outbox.pendingCount(stream);
    }

    @Override
    public List<io.snowpiperelay.spi.DeadLetter> deadLetters(String stream) {
        return outbox.deadLetters(stream);
    }

    @Override
    public long deadLetterCount(String stream) {
        return outbox.deadLetterCount(stream);
    }

    @Override
    public long appendedCount(String stream) {
        // Offsets are issued at append time: the highest one is the number appended.
        return outbox.highestIssuedOffset(stream).orElse(0);
    }

    @Override
    public List<String> streams() {
        return outbox.streams();
    }

    @Override
    public RelaySource openSource(String stream) {
        SqliteOffsetSource source = outbox.openSource(stream);
        return new RelaySource(source, source, source);
    }

    @Override
    public void close() {
        outbox.close();
    }
}
