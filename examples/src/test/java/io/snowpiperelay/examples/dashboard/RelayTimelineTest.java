package io.snowpiperelay.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.examples.generator.SkiTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RelayTimelineTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong committedLiftRides = new AtomicLong();

    private RelayReading reading() {
        List<TableProgress> tables = new ArrayList<>();
        for (SkiTable table : SkiTable.values()) {
            long committed = table == SkiTable.LIFT_RIDE ? committedLiftRides.get() : 0;
            tables.add(new TableProgress(table, 100, committed, committed, 100 - committed, 0, 0.25));
        }
        return new RelayReading(tables, List.of());
    }

    @Test
    void rows_per_second_are_committed_rows_over_the_last_few_seconds() {
        RelayTimeline timeline = new RelayTimeline(this::reading, 100, nanos::get);
        for (int second = 0; second <= 6; second++) {
            nanos.set(Duration.ofSeconds(second).toNanos());
            committedLiftRides.set(second * 10L);
            timeline.sample();
        }
        RelayTimeline.View view = timeline.view();

        TableProgress liftRides = view.tables().get(SkiTable.LIFT_RIDE.ordinal());
        assertThat(liftRides.table()).isEqualTo(SkiTable.LIFT_RIDE);
        assertThat(liftRides.rowsPerSecond()).isEqualTo(10.0);
        assertThat(liftRides.committed()).isEqualTo(60);
        assertThat(view.tables().get(SkiTable.SEASON_PASS.ordinal()).rowsPerSecond()).isZero();
        assertThat(view.history().epochMillis()).hasSize(7);
        assertThat(view.history().rowsPerSecond().get(SkiTable.LIFT_RIDE)).startsWith(0.0).endsWith(10.0);
        assertThat(view.history().commitLagSeconds().get(SkiTable.RESORT_TICKET)).containsOnly(0.25);
        assertThat(view.history().committed().get(SkiTable.LIFT_RIDE)).endsWith(60L);
        assertThat(view.elapsedSeconds()).isEqualTo(6.0);
    }

    @Test
    void keeps_the_last_max_points_samples_and_its_phase() {
        RelayTimeline timeline = new RelayTimeline(this::reading, 0, nanos::get);
        for (int i = 0; i < RelayTimeline.MAX_POINTS + 5; i++) {
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            timeline.sample();
        }
        timeline.phase("done");

        assertThat(timeline.view().history().epochMillis()).hasSize(RelayTimeline.MAX_POINTS);
        assertThat(timeline.view().phase()).isEqualTo("done");
    }

    @Test
    void an_empty_timeline_has_no_tables_and_closed_it_takes_no_samples() {
        RelayTimeline timeline = new RelayTimeline(this::reading, 0, nanos::get);
        assertThat(timeline.view().tables()).isEmpty();
        timeline.close();
        timeline.sample();
        assertThat(timeline.view().history().epochMillis()).isEmpty();
        timeline.close();
    }

    @Test
    void start_refuses_a_zero_interval() {
        assertThatThrownBy(() -> RelayTimeline.start(this::reading, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval is PT0S");
    }
}
