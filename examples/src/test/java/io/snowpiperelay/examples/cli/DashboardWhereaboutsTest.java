package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.dashboard.ReportCache;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import io.snowpiperelay.examples.outbox.SqliteSkiOutbox;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dashboard --store ... --outbox ...} says where the rows that have not landed are (issue 21, item 7): still in
 * the outbox, dead-lettered, or rejected by the service; and what it cannot know stays unknown ({@code null}, shown
 * as absent), never 0. The page's rendering of it is checked in a browser by {@code DashboardIT}; the columns and
 * charts it leaves out without a relay are in {@code dashboard.js} ({@code RELAY_ONLY}).
 */
class DashboardWhereaboutsTest {
    @TempDir
    Path dir;

    @Test
    void rowsStillInTheOutboxDeadLettersAndRejectedRowsAreCountedPerTable() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (SqliteOutbox box = SqliteOutbox.open(file)) {
            box.appendAll(SkiTable.LIFT_RIDE.streamName(), List.of("{\"A\":1}", "{\"A\":2}", "not json", "{\"A\":4}"));
            box.appendAll(SkiTable.SEASON_PASS.streamName(), List.of("{\"A\":1}"));
            try (SqliteOffsetSource source = box.openSource(SkiTable.LIFT_RIDE.streamName())) {
                source.handle(new DeadLetter("LIFT_RIDE_0", 3, "not json", "payload is not valid JSON", Instant.now()));
                source.deleteData(3); // 1, 2 committed and the dead letter behind them
            }
        }
        List<Map<String, Object>> channels = List.of(
                Map.of("PIPE", "lift_ride_pipe", "REJECTED", 2L),
                Map.of("PIPE", "RESORT_TICKET_PIPE", "REJECTED", 0L));
        try (SkiOutbox box = SqliteSkiOutbox.open(file, false)) {
            Map<SkiTable, ReportCache.Whereabouts> where = LandedFiles.whereabouts(box, sql -> {
                assertThat(sql).contains("_emulator_channels");
                return channels;
            });

            assertThat(where.get(SkiTable.LIFT_RIDE)).isEqualTo(new ReportCache.Whereabouts(1L, 1L, 2L));
            assertThat(where.get(SkiTable.SEASON_PASS)).isEqualTo(new ReportCache.Whereabouts(1L, 0L, 0L));
            assertThat(where.get(SkiTable.RESORT_TICKET)).isEqualTo(new ReportCache.Whereabouts(0L, 0L, 0L));
        }
    }

    @Test
    void withoutAnOutboxOrAnEmulatorStoreTheNumbersAreUnknownNotZero() {
        Map<SkiTable, ReportCache.Whereabouts> where = LandedFiles.whereabouts(null, sql -> {
            throw new IllegalStateException("no such table: _emulator_channels");
        });
        assertThat(where.values()).containsOnly(new ReportCache.Whereabouts(null, null, null));
    }
}
