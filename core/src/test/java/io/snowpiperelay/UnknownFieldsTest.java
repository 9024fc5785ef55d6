package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.RowChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A field that matches no column lands nowhere (Snowflake drops it); a runner that knows the columns reports each
 * such field once, not once per row, and still sends the rows (issue 21, item 8).
 */
class UnknownFieldsTest extends RunnerTestSupport {

    @Test
    void eachFieldThatMatchesNoColumnIsReportedOnceAndTheRowsStillLand() throws Exception {
        RowChecker checker = RowChecker.of("LIFT_RIDE", List.of(new Column("ID", ColumnType.number(38, 0), false),
                new Column("TXID", ColumnType.varchar(64), true)));
        long first = source.addJson("{\"id\":1,\"txid\":\"a\",\"NOPE\":1}");
        source.addJson("{\"id\":2,\"txid\":\"b\",\"NOPE\":2,\"Misspelt_Txid\":\"x\"}");
        source.addJson("{\"id\":3,\"TxId\":\"c\",\"nope\":{\"deep\":[1,2]}}");
        long fourth = source.addJson("{\"id\":4,\"other\":null}");
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).rowChecker(checker).build());

        assertThat(runner.awaitDrained(WAIT)).isTrue();

        assertThat(service.committedIds()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(listener.unknownFields).containsExactly("NOPE@" + first, "Misspelt_Txid@" + (first + 1),
                "nope@" + (first + 2), "other@" + fourth);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void withoutTheColumnsNothingIsReported() throws Exception {
        source.addJson("{\"id\":1,\"NOPE\":1}");
        ExactlyOnceChannelRunner runner = start(runnerBuilder(fast().build()).build());
        assertThat(runner.awaitDrained(WAIT)).isTrue();
        assertThat(service.committedIds()).containsExactly(1L);
        assertThat(listener.unknownFields).isEmpty();
    }
}
