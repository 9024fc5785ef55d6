package io.snowpiperelay.testkit.rows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.snowpiperelay.testkit.catalog.ColumnType;
import java.io.IOException;

/** DATE, TIME and TIMESTAMP_* (§1.5–§1.7). */
final class TemporalConverter extends ValueConverter {

    TemporalConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        throw cannotCast(p, t);
    }
}
