package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.spi.DeadLetter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dead letters of table {@code dead_letter}, which the relay's source writes (see
 * {@code SqliteOffsetSource#handle}). Thread-safe through {@link OutboxReader}. Streams are canonical names.
 */
public final class DeadLetterStore {

    private final OutboxReader reader;

    public DeadLetterStore(OutboxReader reader) {
        this.reader = reader;
    }

    /** The dead letters recorded for {@code canonical}, in offset order. */
    public List<DeadLetter> deadLetters(String canonical) {
        return reader.read(canonical, "deadLetters", connection -> {
            List<DeadLetter> deadLetters = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(OutboxSql.SELECT_DEAD_LETTERS)) {
                query.setString(1, canonical);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        deadLetters.add(new DeadLetter(rows.getString(1), rows.getLong(2), rows.getString(3),
                                rows.getString(4), Instant.parse(rows.getString(5))));
                    }
                }
            }
            return deadLetters;
        });
    }

    /** The number of dead letters recorded for {@code canonical}. */
    public long count(String canonical) {
        return reader.readLong(canonical, "deadLetterCount", OutboxSql.COUNT_DEAD_LETTERS, canonical);
    }
}
