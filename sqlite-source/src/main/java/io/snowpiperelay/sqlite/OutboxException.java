package io.snowpiperelay.sqlite;

import io.snowpiperelay.spi.SourceException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A failure of the SQLite outbox: an SQL or I/O error (other than SQLITE_BUSY, which {@code busy_timeout}
 * retries), or use after {@code close()}. Carries the outbox file and, when the failure concerns one
 * stream, the stream name; the message names both and never contains a payload.
 *
 * <p>It is a {@link SourceException}, so the relay's runner retries it with its bounded backoff.
 */
public class OutboxException extends SourceException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String stream;

    /**
     * @param file    the outbox file
     * @param stream  the stream concerned, or {@code null} when the failure is about the whole outbox
     * @param message what happened, with the values, and what to do
     * @param cause   the underlying error, or {@code null}
     */
    public OutboxException(Path file, String stream, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.stream = stream;
    }

    /** The outbox file. */
    public Path file() {
        return file;
    }

    /** The stream concerned, or empty when the failure concerns the whole outbox. */
    public Optional<String> stream() {
        return Optional.ofNullable(stream);
    }
}
