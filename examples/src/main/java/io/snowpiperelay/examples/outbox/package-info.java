/**
 * The ski-resort commands' view of an outbox: the SQLite file or a PostgreSQL database, chosen by {@code --outbox}.
 */
package io.snowpiperelay.examples.outbox;
