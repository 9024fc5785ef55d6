package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snowpiperelay.postgres.FleetMeterBinder;
import io.snowpiperelay.postgres.PartitionAssignment;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.RelayFleet;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code snowpipe.relay.fleet.enabled=true}: two application contexts (two instances of one service) share the
 * partitions of a PostgreSQL-outbox stream; rows the applications append in their own transactions reach Snowflake
 * exactly once; health lists each member's partitions; closing one context hands its partitions to the other.
 */
class FleetPropertyIT {
    private static final int PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void twoContextsShareTheStreamsPartitionsAndTheSurvivorTakesOverOnClose() throws Exception {
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
            // A heartbeat too slow for the lease fails the start, naming the property.
            member(emulator, dataSource, "member-x").withPropertyValues("snowpipe.relay.fleet.heartbeat-interval=1s")
                    .run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(new RelayConfigurationFailureAnalyzer().analyze(context.getStartupFailure())
                                .getDescription()).contains("Property: snowpipe.relay.fleet.heartbeat-interval");
                    });
            member(emulator, dataSource, "member-b").run(b -> {
                assertThat(b).hasNotFailed();
                member(emulator, dataSource, "member-a").run(a -> {
                    assertThat(a).hasNotFailed();
                    // Both members hold their fair share, and together every partition.
                    await().atMost(WAIT).untilAsserted(() -> {
                        assertThat(owned(a)).hasSize(PARTITIONS / 2);
                        assertThat(owned(b)).hasSize(PARTITIONS / 2);
                        assertThat(fleet(a).assignments()).allMatch(PartitionAssignment::live)
                                .extracting(PartitionAssignment::owner)
                                .containsOnly("member-a", "member-b");
                    });
                    sell(a, dataSource, 1, 150);
                    sell(b, dataSource, 151, 200);
                    await().atMost(WAIT).until(() -> emulator.queryForLong("SELECT COUNT(*) FROM TICKET") == 198);

                    Health health = health(a);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    Map<?, ?> fleetDetail = (Map<?, ?>) health.getDetails().get("fleet");
                    assertThat(fleetDetail.get("member")).isEqualTo("member-a");
                    assertThat((List<?>) fleetDetail.get("owned")).hasSize(PARTITIONS / 2)
                            .allMatch(channel -> channel.toString().matches("TICKET_P[0-3]"));
                    assertThat(items(((Map<?, ?>) fleetDetail.get("partitions")).keySet()))
                            .containsExactly("TICKET_P0", "TICKET_P1", "TICKET_P2", "TICKET_P3");
                    assertThat(((Map<?, ?>) health.getDetails().get("channels")).keySet())
                            .isEqualTo(Set.copyOf(owned(a)));

                    MeterRegistry registry = new SimpleMeterRegistry();
                    a.getBean("snowpipeRelayMeterBinder", MeterBinder.class).bindTo(registry);
                    assertThat(registry.get(FleetMeterBinder.OWNED).gauge().value()).isEqualTo(PARTITIONS / 2);
                });
                // member-a closed: drained, released, left; member-b takes every partition at its next heartbeats.
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(owned(b)).hasSize(PARTITIONS);
                    assertThat(fleet(b).assignments()).allMatch(p -> "member-b".equals(p.liveOwner().orElse(null)));
                });
                sell(b, dataSource, 201, 300);
                await().atMost(WAIT).until(() -> emulator.queryForLong("SELECT COUNT(*) FROM TICKET") == 297);
                Health health = health(b);
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(items(((Map<?, ?>) health.getDetails().get("fleet")).get("owned")))
                        .containsExactly("TICKET_P0", "TICKET_P1", "TICKET_P2", "TICKET_P3");
                // Confirmed rows are deleted from the outbox (after the commit, so possibly a poll later).
                PostgresOutbox outbox = b.getBean(SnowpipeRelay.class).postgresOutboxes().get("shopDataSource");
                await().atMost(WAIT).until(() -> outbox.pendingCount("tickets") == 0);
            });
            // Exactly once: every committed sale once, no rolled-back one (every 100th id is rolled back).
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET")).isEqualTo(297);
            assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT ID) FROM TICKET")).isEqualTo(297);
            assertThat(emulator.queryForLong("SELECT COUNT(*) FROM TICKET WHERE ID IN (100, 200, 300)")).isZero();
        }
    }

    private static ApplicationContextRunner member(SnowpipeEmulator emulator, DataSource dataSource, String id) {
        Map<String, String> p = new LinkedHashMap<>(RelayTestSupport.profileProperties(emulator));
        p.put("snowpipe.relay.channels[0].name", "TICKET");
        p.put("snowpipe.relay.channels[0].table", "SHOP.PUBLIC.TICKET");
        p.put("snowpipe.relay.channels[0].source", "postgres");
        p.put("snowpipe.relay.channels[0].postgres.stream", "tickets");
        p.put("snowpipe.relay.channels[0].postgres.partitions", String.valueOf(PARTITIONS));
        p.put("snowpipe.relay.runner.close-timeout", "10s");
        p.put("snowpipe.relay.fleet.enabled", "true");
        p.put("snowpipe.relay.fleet.member-id", id);
        // Short timings so hand-overs take seconds; heartbeat * 3 < lease - margin holds.
        p.put("snowpipe.relay.fleet.lease-duration", "4s");
        p.put("snowpipe.relay.fleet.heartbeat-interval", "500ms");
        p.put("snowpipe.relay.fleet.renew-margin", "1s");
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SnowpipeRelayAutoConfiguration.class,
                        SnowpipeRelayHealthAutoConfiguration.class, SnowpipeRelayMetricsAutoConfiguration.class))
                .withBean("shopDataSource", DataSource.class, () -> dataSource)
                .withInitializer(ctx -> RelayTestSupport.putKey(ctx, emulator))
                .withPropertyValues(RelayTestSupport.asPairs(p));
    }

    /** The application's sales: its own row and the outbox row in one transaction; every 100th rolls back. */
    private static void sell(AssertableApplicationContext context, DataSource dataSource, int from, int to)
            throws Exception {
        PostgresOutbox outbox = context.getBean(SnowpipeRelay.class).postgresOutboxes().get("shopDataSource");
        for (int id = from; id <= to; id++) {
            try (Connection tx = dataSource.getConnection()) {
                tx.setAutoCommit(false);
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("INSERT INTO orders VALUES (" + id + ")");
                }
                outbox.append(tx, "tickets", "{\"id\":" + id + ",\"v\":\"fleet\"}");
                if (id % 100 == 0) {
                    tx.rollback();
                } else {
                    tx.commit();
                }
            }
        }
    }

    private static RelayFleet fleet(AssertableApplicationContext context) {
        return context.getBean(SnowpipeRelay.class).fleet().orElseThrow();
    }

    private static List<String> owned(AssertableApplicationContext context) {
        return fleet(context).ownedChannels();
    }

    private static List<Object> items(Object collection) {
        return new ArrayList<>((Collection<?>) collection);
    }

    private static Health health(AssertableApplicationContext context) {
        return context.getBean(SnowpipeRelayHealthIndicator.class).health();
    }
}
