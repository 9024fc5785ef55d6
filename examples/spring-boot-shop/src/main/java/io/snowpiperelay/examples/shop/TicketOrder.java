package io.snowpiperelay.examples.shop;

import java.math.BigDecimal;

/**
 * What a customer buys.
 *
 * @param name     the skier's name
 * @param email    their e-mail address
 * @param resort   the resort, e.g. Vail
 * @param days     how many days the ticket is valid, 1 to 14
 * @param priceUsd the price paid
 */
public record TicketOrder(String name, String email, String resort, int days, BigDecimal priceUsd) {
}
