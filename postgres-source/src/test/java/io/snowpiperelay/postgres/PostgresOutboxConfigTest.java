package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresOutboxConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        PostgresOutboxConfig config = PostgresOutboxConfig.defaults();
        assertThat(config.schema()).isEqualTo(PostgresOutboxConfig.DEFAULT_SCHEMA).isEqualTo("public");
        assertThat(config.tablePrefix()).isEqualTo(PostgresOutboxConfig.DEFAULT_TABLE_PREFIX)
                .isEqualTo("snowpipe_outbox");
        assertThat(config.createTables()).isEqualTo(PostgresOutboxConfig.DEFAULT_CREATE_TABLES).isTrue();
        assertThat(config.deleteChunkRows()).isEqualTo(PostgresOutboxConfig.DEFAULT_DELETE_CHUNK_ROWS);
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
    }

    @Test
    void identifiersMustBeLowerCaseSqlNamesThatNeedNoQuoting() {
        assertThat(PostgresOutboxConfig.builder().schema("billing_2").tablePrefix("_events").build().schema())
                .isEqualTo("billing_2");
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().schema("Billing").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schema is 'Billing'; allowed: [a-z_][a-z0-9_]{0,39}");
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().tablePrefix("outbox\"; DROP TABLE x; --").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tablePrefix is 'outbox\"; DROP TABLE x; --'");
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().tablePrefix("a".repeat(41)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().schema(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("schema is null");
    }

    @Test
    void deleteChunkRowsIsBounded() {
        assertThat(PostgresOutboxConfig.builder().deleteChunkRows(1).build().deleteChunkRows()).isEqualTo(1);
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().deleteChunkRows(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deleteChunkRows is 0; allowed: 1 to 1000000");
        assertThatThrownBy(() -> PostgresOutboxConfig.builder().deleteChunkRows(1_000_001).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
