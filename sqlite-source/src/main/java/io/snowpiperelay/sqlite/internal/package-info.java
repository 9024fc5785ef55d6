/**
 * Implementation of the SQLite outbox: SQL text, connections, stream names, the relay lock. No
 * compatibility promise; use {@link io.snowpiperelay.sqlite} instead.
 */
package io.snowpiperelay.sqlite.internal;
