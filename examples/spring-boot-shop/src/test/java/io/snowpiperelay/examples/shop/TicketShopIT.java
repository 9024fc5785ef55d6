package io.snowpiperelay.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snowpiperelay.spring.SnowpipeRelay;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The example shop against the emulator: a committed sale reaches RESORT_TICKET once, a rolled-back one never. */
class TicketShopIT {
    @TempDir
    Path dir;

    @Test
    void committedSalesAreRelayedExactlyOnceAndRolledBackOnesNever() {
        try (SnowpipeEmulator emulator = TicketShopApplication.startEmulator()) {
            Path profile = TicketShopApplication.writeProfile(emulator);
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TicketShopApplication.class)
                    .run("--snowpipe.relay.profile.path=" + profile, "--shop.db=" + dir.resolve("shop.db"),
                            "--server.port=0", "--server.address=127.0.0.1", "--shop.demo.tickets=30")) {
                TicketService tickets = context.getBean(TicketService.class);
                for (int i = 0; i < 20; i++) {
                    tickets.sell(new TicketOrder("Ann " + i, "ann@example.com", "Vail", 2, new BigDecimal("129.00")));
                }
                assertThatThrownBy(() -> tickets.sell(new TicketOrder("Bob", "bob@example.com", "Vail", 99,
                        BigDecimal.TEN))).hasMessageContaining("days = 99");

                SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
                await().atMost(Duration.ofSeconds(90)).until(() -> relay.group().isDrained()
                        && emulator.queryForLong("SELECT COUNT(*) FROM RESORT_TICKET") == 50);
                assertThat(tickets.ticketsSold()).isEqualTo(50);
                assertThat(emulator.queryForLong("SELECT COUNT(DISTINCT TXID) FROM RESORT_TICKET")).isEqualTo(50);
                assertThat(emulator.queryForLong("SELECT COUNT(*) FROM RESORT_TICKET WHERE NAME = 'Bob'")).isZero();
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_tickets", Long.class)).isZero();
                assertThat(relay.group().failures()).isEmpty();
            }
        }
    }
}
