package io.snowpiperelay.examples.generator;

import java.util.Objects;

/**
 * One event of the ski-resort world: the stream (table) it belongs to and its JSON text, whose keys are
 * exactly the table's columns.
 *
 * @param table the stream and table, e.g. {@link SkiTable#LIFT_RIDE}
 * @param json  a JSON object, e.g. {@code {"TXID":"…","RFID":"0x…","RESORT":"Vail",…}}
 */
public record GeneratedEvent(SkiTable table, String json) {

    public GeneratedEvent {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(json, "json");
    }
}
