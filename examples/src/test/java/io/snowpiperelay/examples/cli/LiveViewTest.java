package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.examples.generator.SkiTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTest {

    private static RelayStatus.Snapshot halfway() {
        return new RelayStatus.Snapshot(Duration.ofSeconds(65), List.of(
                new RelayStatus.TableStatus(SkiTable.RESORT_TICKET, 1_000, 900, 800, 200, 50.4, Duration.ofMillis(1200)),
                new RelayStatus.TableStatus(SkiTable.SEASON_PASS, 50, 50, 40, 10, 2, Duration.ofMillis(900)),
                new RelayStatus.TableStatus(SkiTable.LIFT_RIDE, 20_000, 19_000, 18_000, 2_000, 2_950, Duration.ZERO)));
    }

    @Test
    void the_table_shows_every_column_per_table_and_a_progress_bar() {
        LiveView view = new LiveView(new PrintWriter(new StringWriter()), true, 37_680);

        List<String> lines = view.lines(halfway());

        assertThat(lines.get(0)).contains("TABLE", "GENERATED", "APPENDED", "COMMITTED", "IN OUTBOX", "ROWS/S",
                "COMMIT LAG");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("LIFT_RIDE", "20,000", "19,000", "18,000",
                "2,000", "2,950", "0.0 s"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("RESORT_TICKET", "1.2 s"));
        assertThat(lines.get(lines.size() - 1)).contains("50%", "18,840 / 37,680 committed", "00:01:05")
                .contains("#".repeat(20) + "-".repeat(20));
    }

    @Test
    void a_plain_view_prints_one_summary_line_at_a_time() {
        StringWriter text = new StringWriter();
        LiveView view = new LiveView(new PrintWriter(text), false, 37_680);

        view.render(halfway());
        view.render(halfway()); // within the plain interval: not printed again

        assertThat(text.toString().lines()).hasSize(1);
        assertThat(text.toString()).contains("generated 21,050", "committed 18,840 / 37,680 (50%)",
                "in outbox 2,210", "3,002 rows/s", "commit lag 1.2 s").doesNotContain("\033[");
    }

    @Test
    void a_terminal_view_redraws_in_place() {
        StringWriter text = new StringWriter();
        LiveView view = new LiveView(new PrintWriter(text), true, 37_680);

        view.render(halfway());
        view.render(halfway());

        int lines = view.lines(halfway()).size();
        assertThat(text.toString()).contains("\033[" + lines + "A");
    }
}
