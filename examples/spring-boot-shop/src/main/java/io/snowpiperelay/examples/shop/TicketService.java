package io.snowpiperelay.examples.shop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sells tickets. The transactional outbox: the shop's own {@code ticket} row and the outbox row the relay
 * ships to Snowflake are written in one transaction of the shop's database, so Snowflake gets a row exactly
 * when the sale happened, never for a sale that rolled back, and never misses one that committed.
 */
@Service
public class TicketService {
    /** The outbox stream the relay drains ({@code snowpipe.relay.channels[0].sqlite.stream}). */
    public static final String STREAM = "tickets";
    /** Longest ticket sold, in days. */
    public static final int MAX_DAYS = 14;

    private static final DateTimeFormatter SNOWFLAKE_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();

    TicketService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a sale and its outbox row, both or neither.
     *
     * @return the sale's transaction id
     * @throws IllegalArgumentException when {@code days} is not 1 to {@value #MAX_DAYS}; nothing is stored
     */
    @Transactional
    public String sell(TicketOrder order) {
        String txid = UUID.randomUUID().toString();
        String rfid = "0x" + Long.toHexString(UUID.randomUUID().getMostSignificantBits());
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        jdbc.update("INSERT INTO ticket (txid, rfid, resort, purchase_time, days, name, email, price_usd)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                txid, rfid, order.resort(), now.format(SNOWFLAKE_TIMESTAMP), order.days(), order.name(),
                order.email(), order.priceUsd());
        ObjectNode row = json.createObjectNode()
                .put("TXID", txid)
                .put("RFID", rfid)
                .put("RESORT", order.resort())
                .put("PURCHASE_TIME", now.format(SNOWFLAKE_TIMESTAMP))
                .put("PRICE_USD", order.priceUsd())
                .put("EXPIRATION_TIME", LocalDate.now(ZoneOffset.UTC).plusDays(order.days()).toString())
                .put("DAYS", order.days())
                .put("NAME", order.name())
                .put("EMAIL", order.email());
        // The outbox table of stream "tickets" (docs/sqlite-outbox.md): the offset is issued inside this
        // transaction, and SQLite's single writer makes offsets follow commit order.
        jdbc.update("INSERT INTO outbox_" + STREAM + " (payload, created_at_ms) VALUES (?, ?)", row.toString(),
                System.currentTimeMillis());
        if (order.days() < 1 || order.days() > MAX_DAYS) {
            // Checked last on purpose: both rows were written, and the rollback takes both back.
            throw new IllegalArgumentException("days = " + order.days() + " is out of range [1, " + MAX_DAYS + "]");
        }
        return txid;
    }

    /** Tickets sold, from the shop's own table. */
    public long ticketsSold() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM ticket", Long.class);
        return n == null ? 0 : n;
    }
}
