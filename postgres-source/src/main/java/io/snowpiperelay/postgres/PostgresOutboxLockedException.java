package io.snowpiperelay.postgres;

/**
 * Thrown by {@link PostgresOutbox#openSource(String)} when another relay, in this process or any other, already
 * drains the same stream of the same outbox table. Two relays on one stream would each stamp and send rows, so the
 * second one is refused.
 *
 * <p>The guard is a session-level advisory lock ({@code pg_try_advisory_lock}) held by the relay's own database
 * session: it is released by {@link PostgresOffsetSource#close()} and, if the relay dies (even by {@code kill -9}),
 * by PostgreSQL when the session ends. Retrying later is safe.
 */
public final class PostgresOutboxLockedException extends PostgresOutboxException {
    private static final long serialVersionUID = 1L;

    private final String holder;

    /**
     * @param table  the outbox table, schema-qualified
     * @param stream the stream that is already relayed
     * @param holder who holds the lock, e.g. {@code "backend pid 4711 (application 'snowpipe-relay LIFT_RIDE',
     *               client 10.0.0.7, since 2026-12-06T05:00:00Z)"}
     */
    public PostgresOutboxLockedException(String table, String stream, String holder) {
        super(table, stream, "outbox " + table + " stream " + stream + " is already being relayed by " + holder
                + "; run one relay per outbox stream", null);
        this.holder = holder;
    }

    /** Who holds the stream's relay lock, as far as this role may see it in {@code pg_stat_activity}. */
    public String holder() {
        return holder;
    }

    /** The stream that is already relayed (never empty for this exception). */
    public String streamName() {
        return stream().orElseThrow();
    }
}
