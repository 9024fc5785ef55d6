/**
 * The SQLite outbox: a durable, offset-addressed queue in one local file.
 *
 * <ul>
 *   <li>{@link io.snowpiperelay.sqlite.SqliteOutbox}: open a file, {@code append} / {@code appendAll} JSON
 *       rows to named streams (producers), inspect streams and dead letters.</li>
 *   <li>{@link io.snowpiperelay.sqlite.SqliteOffsetSource}: the relay side of one stream, an
 *       {@link io.snowpiperelay.spi.OffsetSource} and {@link io.snowpiperelay.spi.DeadLetterHandler} guarded
 *       by an operating-system lock so that one relay drains a stream at a time.</li>
 *   <li>{@link io.snowpiperelay.sqlite.OutboxConfig} and {@link io.snowpiperelay.sqlite.SynchronousMode}:
 *       busy timeout, durability, delete chunk size.</li>
 *   <li>{@link io.snowpiperelay.sqlite.OutboxException} and
 *       {@link io.snowpiperelay.sqlite.OutboxLockedException}: failures, with the file and stream.</li>
 * </ul>
 *
 * <p>Schema, durability trade-offs and how to inspect a file with the {@code sqlite3} shell:
 * {@code docs/sqlite-outbox.md}.
 */
package io.snowpiperelay.sqlite;
