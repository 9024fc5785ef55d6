package io.snowpiperelay.examples.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamLayoutTest {

    @Test
    void one_channel_per_table_uses_the_table_name_as_stream() {
        assertThat(StreamLayout.streams(SkiTable.LIFT_RIDE, 1)).containsExactly("LIFT_RIDE");
    }

    @Test
    void n_channels_per_table_use_numbered_streams() {
        assertThat(StreamLayout.streams(SkiTable.SEASON_PASS, 3))
                .containsExactly("SEASON_PASS_0", "SEASON_PASS_1", "SEASON_PASS_2");
    }

    @Test
    void streams_are_attributed_to_their_table_only() {
        assertThat(StreamLayout.belongsTo("LIFT_RIDE", SkiTable.LIFT_RIDE)).isTrue();
        assertThat(StreamLayout.belongsTo("lift_ride_12", SkiTable.LIFT_RIDE)).isTrue();
        assertThat(StreamLayout.belongsTo("LIFT_RIDE_X", SkiTable.LIFT_RIDE)).isFalse();
        assertThat(StreamLayout.belongsTo("LIFT_RIDE_", SkiTable.LIFT_RIDE)).isFalse();
        assertThat(StreamLayout.belongsTo("RESORT_TICKET", SkiTable.LIFT_RIDE)).isFalse();
    }

    @Test
    void the_channel_count_is_bounded() {
        assertThatThrownBy(() -> StreamLayout.streams(SkiTable.LIFT_RIDE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0").hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> StreamLayout.validate(17)).isInstanceOf(IllegalArgumentException.class);
    }
}
