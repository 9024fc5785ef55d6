/**
 * Implementation of the PostgreSQL outbox: table names and SQL, the schema, privilege checks, the relay's advisory
 * lock and the sequencer. No compatibility promise; use {@link io.snowpiperelay.postgres} instead.
 */
package io.snowpiperelay.postgres.internal;
