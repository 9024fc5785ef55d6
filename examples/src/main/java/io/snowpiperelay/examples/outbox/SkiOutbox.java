package io.snowpiperelay.examples.outbox;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;

import java.util.List;

/**
 * The outbox the ski-resort commands write to and relay from: an SQLite file ({@link SqliteSkiOutbox}) or the
 * outbox tables in a PostgreSQL database ({@link PostgresSkiOutbox}), chosen by the {@code --outbox} value
 * ({@link #open}). Only what the commands need; applications use the outbox classes themselves.
 */
public interface SkiOutbox extends AutoCloseable {

    /** The prefix of an {@code --outbox} value that names a PostgreSQL database instead of a file. */
    String POSTGRES_URL_PREFIX = "jdbc:postgresql:";

    /**
     * Opens the outbox named by {@code location}: a JDBC URL starting with {@value #POSTGRES_URL_PREFIX}, or else an
     * SQLite file path.
     *
     * @param location    the {@code --outbox} value
     * @param credentials the role and password for a PostgreSQL outbox (ignored for a file)
     * @param create      whether a missing file, or missing outbox tables, may be created; a relay or a report says
     *                    no, so that a typo fails instead of reading a new, empty outbox
     */
    static SkiOutbox open(String location, OutboxCredentials credentials, boolean create) {
        return open(location, credentials, create, OutboxTableOptions.defaults(), java.util.Map.of());
    }

    /**
     * As {@link #open(String, OutboxCredentials, boolean)}, for a PostgreSQL outbox with these tables and these
     * partition counts per stream (streams not named have one partition).
     *
     * @throws IllegalArgumentException when tables or partitions other than the defaults are asked of an SQLite file
     */
    static SkiOutbox open(String location, OutboxCredentials credentials, boolean create, OutboxTableOptions tables,
                          java.util.Map<String, Integer> partitions) {
        if (isPostgres(location)) {
            return PostgresSkiOutbox.open(location, credentials, create, tables, partitions);
        }
        if (!tables.isDefault() || partitions.values().stream().anyMatch(n -> n != 1)) {
            throw new IllegalArgumentException("--table-prefix and --partitions apply to a PostgreSQL --outbox"
                    + " (jdbc:postgresql://...); " + location + " is an SQLite file");
        }
        return SqliteSkiOutbox.open(java.nio.file.Path.of(location), create);
    }

    /** Whether {@code location} names a PostgreSQL outbox. */
    static boolean isPostgres(String location) {
        return location != null && location.startsWith(POSTGRES_URL_PREFIX);
    }

    /** Where the outbox is, safe to print: the file, or the JDBC URL without its parameters (never a password). */
    String location();

    /** Appends rows to {@code stream} in one transaction. */
    void appendAll(String stream, List<String> jsonPayloads);

    /** Rows of {@code stream} not yet deleted by its relay. */
    long pendingCount(String stream);

    /** The dead letters of {@code stream}: rows the relay could not send or the service rejected, with reasons. */
    List<DeadLetter> deadLetters(String stream);

    /** Records of {@code stream} the relay dead-lettered (kept in the outbox's dead-letter table). */
    long deadLetterCount(String stream);

    /** Events appended to {@code stream} so far, deleted ones included. */
    long appendedCount(String stream);

    /** The streams of the outbox, sorted. */
    List<String> streams();

    /** Opens the relay side of {@code stream}; refused if another relay has it. */
    RelaySource openSource(String stream);

    /** Closes the outbox and every source opened from it. */
    @Override
    void close();

    /**
     * The relay side of one stream: the source the runner drains and the handler that keeps its dead letters (both
     * the same object for the outboxes of this project), closed by {@link #close()}.
     */
    record RelaySource(OffsetSource source, DeadLetterHandler deadLetters, AutoCloseable closer) {

        /** Closes the source, releasing its stream's relay lock. */
        public void close() {
            try {
                closer.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + source.describe() + " failed: " + e.getMessage(), e);
            }
        }
    }
}
