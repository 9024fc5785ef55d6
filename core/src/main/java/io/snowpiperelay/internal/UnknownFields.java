package io.snowpiperelay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.RowChecker;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reports a row's top-level field that matches no column of the target table, once per field name: Snowflake drops
 * such a field without a word (MATCH_BY_COLUMN_NAME, docs/emulator.md), so a misspelt name would otherwise go
 * unnoticed. Only possible when the runner knows the columns, that is with a {@link RowChecker}.
 *
 * <p>Names are compared case-insensitively, as through a table's default pipe; under a case-sensitive pipe a field
 * differing from its column only in case is therefore not reported (the check never reports a field that lands).
 * Field names are keys, not values: no row content reaches the log.
 *
 * <p>Runner thread only ({@code reported} is unguarded).
 */
final class UnknownFields {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final String channel;
    private final String table;
    private final Set<String> columns = new HashSet<>();
    private final Set<String> reported = new HashSet<>();
    private final ListenerEvents events;

    UnknownFields(String channel, RowChecker checker, ListenerEvents events) {
        this.channel = channel;
        this.table = checker.tableName();
        this.events = events;
        for (Column c : checker.columns()) {
            columns.add(c.name().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Reports each top-level field of the JSON object {@code utf8[from, from + length)} (at {@code offset}) that no
     * column takes.
     */
    void check(byte[] utf8, int from, int length, long offset) {
        try (JsonParser p = FACTORY.createParser(utf8, from, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!columns.contains(name.toUpperCase(Locale.ROOT)) && reported.add(name)) {
                    RunnerLog.LOG.warn("{} - field '{}' (first at offset {}) matches no column of {}; Snowflake drops"
                            + " it and stores the rest of the row. Fix the field's name in the producer, or add the"
                            + " column", channel, name, offset, table);
                    events.unknownField(name, offset);
                }
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            // The row checker already judged the row; a field list it cannot give is nothing to report.
        }
    }

    /** The distinct field names reported so far. */
    int reportedCount() {
        return reported.size();
    }
}
