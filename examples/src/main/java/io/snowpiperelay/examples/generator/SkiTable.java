package io.snowpiperelay.examples.generator;

import java.util.List;

/**
 * The three streams of the example. Each is one outbox stream, one Snowflake table and one pipe, all with
 * the same base name: the generator writes {@code LIFT_RIDE} events to the outbox stream {@code LIFT_RIDE}, the
 * relay sends them through {@code LIFT_RIDE_PIPE}, and they land in table {@code LIFT_RIDE}.
 *
 * <p>The column lists are those of {@code docs/snowflake-setup.sql}, in order; every event the generator
 * writes has exactly these keys (the pipes match by column name, case-sensitively).
 */
public enum SkiTable {

    RESORT_TICKET(List.of("TXID", "RFID", "RESORT", "PURCHASE_TIME", "PRICE_USD", "EXPIRATION_TIME", "DAYS",
            "NAME", "ADDRESS", "PHONE", "EMAIL", "EMERGENCY_CONTACT")),
    SEASON_PASS(List.of("TXID", "RFID", "PURCHASE_TIME", "PRICE_USD", "EXPIRATION_TIME", "NAME", "ADDRESS",
            "PHONE", "EMAIL", "EMERGENCY_CONTACT")),
    LIFT_RIDE(List.of("TXID", "RFID", "RESORT", "LIFT", "RIDE_TIME", "ACTIVATION_DAY_COUNT"));

    private final List<String> columns;

    SkiTable(List<String> columns) {
        this.columns = columns;
    }

    /** The Snowflake table and the outbox stream name, e.g. {@code LIFT_RIDE}. */
    public String tableName() {
        return name();
    }

    /** The outbox stream the generator writes to and the relay drains: the table name. */
    public String streamName() {
        return name();
    }

    /** The pipe the relay appends to, e.g. {@code LIFT_RIDE_PIPE}. */
    public String pipeName() {
        return name() + "_PIPE";
    }

    /** The table's columns, in DDL order; the keys of every event. */
    public List<String> columns() {
        return columns;
    }
}
