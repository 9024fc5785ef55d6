package io.snowpiperelay.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.report.ReportQueries;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReportCacheTest {

    private final AtomicBoolean storeBroken = new AtomicBoolean();

    /** A store with 7 rows in every table; every other query answers one row naming its section. */
    private List<Map<String, Object>> query(String sql) {
        if (storeBroken.get()) {
            throw new IllegalStateException("database is locked");
        }
        if (sql.contains("COUNT(DISTINCT TXID)")) {
            return List.of(Map.of("ROWS_LANDED", 7L, "TXIDS", 7L));
        }
        if (sql.equals(ReportQueries.WORLD_TIME)) {
            return List.of(Map.of("WORLD_TIME", "2026-12-18 17:00:00"));
        }
        for (ReportQueries.Section section : ReportQueries.SECTIONS) {
            if (sql.equals(section.sql())) {
                return List.of(Map.of("SECTION", section.id()));
            }
        }
        throw new AssertionError("unexpected query: " + sql);
    }

    @Test
    void a_refresh_runs_the_report_queries_and_a_failed_one_keeps_the_last_numbers() {
        try (ReportCache cache = ReportCache.start(this::query, () -> Map.of(SkiTable.LIFT_RIDE, 7L),
                Duration.ofHours(1))) {
            cache.refresh();
            ReportCache.View view = cache.view();
            assertThat(view.available()).isTrue();
            assertThat(view.note()).isNull();
            assertThat(view.updatedAt()).isNotNull();
            assertThat(view.worldTime()).isEqualTo("2026-12-18 17:00:00");
            assertThat(view.tables()).extracting(ReportCache.TableCount::table).containsExactly(SkiTable.values());
            assertThat(view.tables()).extracting(ReportCache.TableCount::landed).containsOnly(7L);
            assertThat(view.tables()).extracting(ReportCache.TableCount::generated).containsExactly(null, null, 7L);
            assertThat(view.sections()).containsOnlyKeys("dailyRevenue", "hourlyRides", "busiestLifts", "ticketVsPass");
            assertThat(view.sections().get("busiestLifts").rows()).containsExactly(Map.of("SECTION", "busiestLifts"));

            storeBroken.set(true);
            cache.refresh();

            assertThat(cache.view().note()).isEqualTo("report query failed: database is locked");
            assertThat(cache.view().tables()).isEqualTo(view.tables());
            assertThat(cache.view().sections()).isEqualTo(view.sections());
        }
    }

    @Test
    void unavailable_says_why_and_has_no_sections() {
        try (ReportCache cache = ReportCache.unavailable("query the dynamic tables in Snowflake")) {
            assertThat(cache.view().available()).isFalse();
            assertThat(cache.view().note()).isEqualTo("query the dynamic tables in Snowflake");
            assertThat(cache.view().sections()).isEmpty();
        }
    }

    @Test
    void the_report_carries_where_the_missing_rows_are() {
        Map<SkiTable, ReportCache.Whereabouts> where = Map.of(SkiTable.LIFT_RIDE,
                new ReportCache.Whereabouts(5L, 1L, 2L));
        try (ReportCache cache = ReportCache.start(sql -> sql.contains("COUNT(DISTINCT TXID)")
                        ? List.of(Map.of("ROWS_LANDED", 7L, "TXIDS", 7L)) : List.of(),
                () -> Map.of(SkiTable.LIFT_RIDE, 15L), () -> where, Duration.ofHours(1))) {
            cache.refresh();
            ReportCache.TableCount lifts = cache.view().tables().stream()
                    .filter(t -> t.table() == SkiTable.LIFT_RIDE).findFirst().orElseThrow();
            assertThat(lifts.generated() - lifts.landed()).isEqualTo(8);
            assertThat(lifts.inOutbox()).isEqualTo(5);
            assertThat(lifts.deadLetters()).isEqualTo(1);
            assertThat(lifts.rejected()).isEqualTo(2);
            ReportCache.TableCount tickets = cache.view().tables().stream()
                    .filter(t -> t.table() == SkiTable.RESORT_TICKET).findFirst().orElseThrow();
            assertThat(tickets.inOutbox()).isNull();
            assertThat(tickets.rejected()).isNull();
        }
    }
}
