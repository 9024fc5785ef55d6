package io.snowpiperelay.postgres;

import io.snowpiperelay.spi.SourceException;

import java.util.Optional;

/**
 * A failure of the PostgreSQL outbox: an SQL error, a schema that cannot be created or is too new, or use after
 * {@code close()}. Carries the outbox table and, when the failure concerns one stream, the stream name; the message
 * names both, says what to do, and never contains a payload or a password.
 *
 * <p>It is a {@link SourceException}, so the relay's runner retries it with its bounded backoff. It is unchecked, so
 * a producer's {@code @Transactional} method that lets it escape rolls its transaction back.
 */
public class PostgresOutboxException extends SourceException {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final String stream;

    /**
     * @param table   the outbox table, schema-qualified (e.g. {@code public.snowpipe_outbox})
     * @param stream  the stream concerned, or {@code null} when the failure is about the whole outbox
     * @param message what happened, with the values, and what to do
     * @param cause   the underlying error, or {@code null}
     */
    public PostgresOutboxException(String table, String stream, String message, Throwable cause) {
        super(message, cause);
        this.table = table;
        this.stream = stream;
    }

    /** The outbox table, schema-qualified. */
    public String table() {
        return table;
    }

    /** The stream concerned, or empty when the failure concerns the whole outbox. */
    public Optional<String> stream() {
        return Optional.ofNullable(stream);
    }
}
