package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.sqlite.SqliteOutbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Simple LIFT_RIDE payloads with known TXIDs. */
public final class Rides {
    /** The outbox stream, table and (with _PIPE) pipe of lift rides. */
    public static final String STREAM = "LIFT_RIDE";

    private Rides() {
    }

    /** One LIFT_RIDE row as JSON with the given TXID. */
    public static String ride(String txid) {
        return "{\"TXID\":\"" + txid + "\",\"RFID\":\"0x1\",\"RESORT\":\"Vail\",\"LIFT\":\"Gondola One\","
                + "\"RIDE_TIME\":\"2026-12-18 15:00:00\",\"ACTIVATION_DAY_COUNT\":1}";
    }

    /** Appends rides {@code prefix-from} .. {@code prefix-(to-1)} and returns their TXIDs. */
    public static Set<String> append(SqliteOutbox outbox, String stream, String prefix, int from, int to) {
        List<String> payloads = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        for (int i = from; i < to; i++) {
            String id = prefix + "-" + i;
            payloads.add(ride(id));
            ids.add(id);
        }
        outbox.appendAll(stream, payloads);
        return ids;
    }
}
