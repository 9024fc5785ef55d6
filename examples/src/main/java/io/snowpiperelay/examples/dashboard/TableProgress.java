package io.snowpiperelay.examples.dashboard;

import io.snowpiperelay.examples.generator.SkiTable;

/**
 * One table's relay progress at one moment, summed over the table's channels.
 *
 * @param table            the table
 * @param generated        events of the table written to the outbox, or -1 when unknown
 * @param appended         highest offset handed to Snowflake, summed over the channels
 * @param committed        highest offset Snowflake confirmed committed, summed over the channels
 * @param inOutbox         rows still in the outbox (not yet confirmed and deleted), or -1 when unknown
 * @param rowsPerSecond    committed rows per second over the last few seconds (0 in a raw reading)
 * @param commitLagSeconds age of the oldest unconfirmed row, the worst of the table's channels
 */
public record TableProgress(SkiTable table, long generated, long appended, long committed, long inOutbox,
        double rowsPerSecond, double commitLagSeconds) {

    /** This reading with {@code rowsPerSecond} set. */
    TableProgress withRowsPerSecond(double rate) {
        return new TableProgress(table, generated, appended, committed, inOutbox, rate, commitLagSeconds);
    }
}
