package io.snowpiperelay.examples.shop;

import io.snowpiperelay.spring.SnowpipeRelay;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The demo: at start, sells {@code shop.demo.tickets} tickets (0: none) and reports when the relay has shipped
 * them all; with {@code shop.demo.exit=true} the application then exits.
 */
@Component
public class DemoSales implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DemoSales.class);
    private static final List<String> RESORTS = List.of("Vail", "Beaver Creek", "Breckenridge", "Keystone",
            "Crested Butte", "Park City", "Heavenly", "Northstar", "Kirkwood", "Whistler Blackcomb");
    /** How long the demo waits for the relay to ship its tickets. */
    static final Duration DRAIN_WAIT = Duration.ofMinutes(2);

    private final TicketService tickets;
    private final SnowpipeRelay relay;
    private final int count;
    private final boolean exit;

    DemoSales(TicketService tickets, SnowpipeRelay relay, @Value("${shop.demo.tickets:0}") int count,
              @Value("${shop.demo.exit:false}") boolean exit) {
        this.tickets = tickets;
        this.relay = relay;
        this.count = count;
        this.exit = exit;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (count <= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            String resort = RESORTS.get(i % RESORTS.size());
            tickets.sell(new TicketOrder("Skier " + i, "skier" + i + "@example.com", resort, 1 + i % 7,
                    BigDecimal.valueOf(89 + (i % 7) * 40L)));
        }
        boolean drained = relay.group().awaitDrained(DRAIN_WAIT);
        log.info("demo - {} ticket(s) sold; relayed to Snowflake: {} (metrics: {})", count,
                drained ? "all" : "not all within " + DRAIN_WAIT, relay.group().metrics());
        if (exit) {
            System.exit(drained ? 0 : 1);
        }
    }
}
