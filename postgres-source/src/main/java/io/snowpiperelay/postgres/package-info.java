/**
 * The transactional outbox in the application's own PostgreSQL (14 or later).
 *
 * <ul>
 *   <li>{@link io.snowpiperelay.postgres.PostgresOutbox}: open it on a {@code DataSource} (the tables are created
 *       when missing), {@code append} / {@code appendAll} JSON rows inside the caller's transaction (producers),
 *       inspect streams and dead letters.</li>
 *   <li>{@link io.snowpiperelay.postgres.PostgresOffsetSource}: the relay side of one stream, an
 *       {@link io.snowpiperelay.spi.OffsetSource} and {@link io.snowpiperelay.spi.DeadLetterHandler} whose offsets
 *       are stamped onto committed rows in visibility order, guarded by an advisory lock so that one relay drains a
 *       stream at a time.</li>
 *   <li>{@link io.snowpiperelay.postgres.PostgresOutboxConfig}: schema, table prefix, table creation, delete chunk
 *       size.</li>
 *   <li>{@link io.snowpiperelay.postgres.PostgresOutboxException},
 *       {@link io.snowpiperelay.postgres.PostgresOutboxLockedException} and
 *       {@link io.snowpiperelay.postgres.MissingGrantException}: failures, with the table and stream.</li>
 * </ul>
 *
 * <p>Schema, appending inside a transaction (JDBC, Spring), the commit-order mechanism, grants and vacuum notes:
 * {@code docs/postgres-outbox.md}.
 */
package io.snowpiperelay.postgres;
