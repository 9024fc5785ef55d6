package io.snowpiperelay.examples.shop;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /tickets} sells one; {@code GET /tickets} counts them. */
@RestController
public class TicketController {
    private final TicketService tickets;

    TicketController(TicketService tickets) {
        this.tickets = tickets;
    }

    /** Sells a ticket; 201 with its transaction id. */
    @PostMapping("/tickets")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, String> sell(@RequestBody TicketOrder order) {
        return Map.of("txid", tickets.sell(order));
    }

    /** How many tickets were sold. */
    @GetMapping("/tickets")
    public Map<String, Long> count() {
        return Map.of("sold", tickets.ticketsSold());
    }

    /** A refused order: 400 with the reason. */
    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public Map<String, String> refused(IllegalArgumentException e) {
        return Map.of("error", e.getMessage());
    }
}
