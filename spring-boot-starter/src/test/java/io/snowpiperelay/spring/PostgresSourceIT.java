package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code source: postgres}: the relay drains the outbox in the application's own DataSource, where the application
 * appends inside its transactions; a rolled-back transaction's row never reaches Snowflake.
 */
class PostgresSourceIT {

    @Test
    void rowsAppendedInTheApplicationsTransactionsAreRelayedExactlyOnce() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
             SnowpipeEmulator emulator = RelayTestSupport.startEmulator()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
            }
            Map<String, String> p = new LinkedHashMap<>(RelayTestSupport.profileProperties(emulator));
            p.put("snowpipe.relay.channels[0].name", "TICKET_PG_1");
            p.put("snowpipe.relay.channels[0].table", "SHOP.PUBLIC.TICKET");
            p.put("snowpipe.relay.channels[0].source", "postgres");
            p.put("snowpipe.relay.channels[0].postgres.stream", "tickets");
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(SnowpipeRelayAutoConfiguration.class,
                            SnowpipeRelayHealthAutoConfiguration.class))
                    .withBean("shopDataSource", DataSource.class, () -> dataSource)
                    .withInitializer(ctx -> RelayTestSupport.putKey(ctx, emulator))
                    .withPropertyValues(RelayTestSupport.asPairs(p))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        PostgresOutbox outbox = PostgresOutbox.open(dataSource);
                        for (int id = 1; id <= 101; id++) {
                            try (Connection tx = dataSource.getConnection()) {
                                tx.setAutoCommit(false);
                                try (Statement s = tx.createStatement()) {
                                    s.executeUpdate("INSERT INTO orders VALUES (" + id + ")");
                                }
                                outbox.append(tx, "tickets", "{\"id\":" + id + ",\"v\":\"pg\"}");
                                if (id == 101) {
                                    tx.rollback();
                                } else {
                                    tx.commit();
                                }
                            }
                        }
                        SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
                        await().atMost(Duration.ofSeconds(60)).until(() ->
                                emulator.queryForLong("SELECT COUNT(*) FROM TICKET") == 100 && relay.group().isDrained());
                        assertThat(context.getBean(SnowpipeRelayHealthIndicator.class).health().getStatus())
                                .isEqualTo(Status.UP);
                        assertThat(outbox.pendingCount("tickets")).isZero();
                    });
            assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT ID) FROM TICKET")).isEqualTo(100);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET WHERE ID = 101")).isZero();
        }
    }
}
