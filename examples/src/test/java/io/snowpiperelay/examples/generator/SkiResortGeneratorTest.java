package io.snowpiperelay.examples.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SkiResortGeneratorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern RFID = Pattern.compile("0x[0-9a-f]{1,24}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private static List<GeneratedEvent> generate(long seed, int count) {
        SkiResortGenerator generator = new SkiResortGenerator(seed);
        List<GeneratedEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(generator.next());
        }
        return events;
    }

    private static JsonNode parse(GeneratedEvent event) {
        try {
            return MAPPER.readTree(event.json());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + event.json(), e);
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void the_same_seed_gives_the_same_events_and_another_seed_different_ones() {
        List<GeneratedEvent> first = generate(42, 5_000);
        List<GeneratedEvent> again = generate(42, 5_000);
        List<GeneratedEvent> other = generate(43, 5_000);

        assertThat(again).isEqualTo(first);
        assertThat(other.get(0)).isNotEqualTo(first.get(0));
    }

    @Test
    void a_shorter_run_is_a_prefix_of_a_longer_one() {
        assertThat(generate(7, 20_000).subList(0, 3_000)).isEqualTo(generate(7, 3_000));
    }

    @Test
    void every_event_has_exactly_its_table_columns_as_keys_in_order() {
        for (GeneratedEvent event : generate(1, 20_000)) {
            assertThat(keys(parse(event))).as(event.json()).isEqualTo(event.table().columns());
        }
    }

    @Test
    void tickets_and_passes_have_typed_values() {
        Set<String> resorts = new HashSet<>();
        for (Resort resort : Resort.values()) {
            resorts.add(resort.displayName());
        }
        int nullAddresses = 0;
        int purchases = 0;
        for (GeneratedEvent event : generate(2, 20_000)) {
            if (event.table() == SkiTable.LIFT_RIDE) {
                continue;
            }
            purchases++;
            JsonNode row = parse(event);
            assertThat(row.get("TXID").asText()).matches(UUID);
            assertThat(row.get("RFID").asText()).matches(RFID);
            assertThat(row.get("PURCHASE_TIME").asText()).matches(DATETIME);
            assertThat(row.get("EXPIRATION_TIME").asText()).matches(DATE);
            assertThat(row.get("EXPIRATION_TIME").asText()).isGreaterThan(row.get("PURCHASE_TIME").asText().substring(0, 10));
            JsonNode price = row.get("PRICE_USD");
            assertThat(price.isNumber()).as(event.json()).isTrue();
            // Checked on the text: a JSON tree would drop the trailing zero of 101.90.
            assertThat(event.json()).containsPattern("\"PRICE_USD\":\\d{1,5}\\.\\d{2},");
            assertThat(price.decimalValue().doubleValue()).isBetween(1.0, 99_999.99);
            assertThat(row.get("NAME").asText()).isNotBlank();
            JsonNode address = row.get("ADDRESS");
            if (address.isNull()) {
                nullAddresses++;
            } else {
                assertThat(keys(address)).containsExactly("STREET_ADDRESS", "CITY", "STATE", "POSTALCODE");
                assertThat(address.get("STATE").asText()).matches("[A-Z]{2}");
            }
            JsonNode contact = row.get("EMERGENCY_CONTACT");
            assertThat(contact.isNull() || keys(contact).equals(List.of("NAME", "PHONE"))).as(event.json()).isTrue();
            assertThat(row.get("PHONE").isNull() || row.get("PHONE").isTextual()).isTrue();
            assertThat(row.get("EMAIL").isNull() || row.get("EMAIL").asText().contains("@")).isTrue();
            if (event.table() == SkiTable.RESORT_TICKET) {
                assertThat(resorts).contains(row.get("RESORT").asText());
                assertThat(row.get("DAYS").isInt()).isTrue();
                assertThat(row.get("DAYS").asInt()).isBetween(1, 7);
            } else {
                assertThat(price.decimalValue().intValue()).isIn(1051, 783, 537, 407);
            }
        }
        // About a fifth of the addresses are missing, as upstream.
        assertThat(nullAddresses).isBetween(purchases / 10, purchases * 3 / 10);
    }

    @Test
    void rides_name_a_lift_of_their_resort_and_have_typed_values() {
        for (GeneratedEvent event : generate(3, 20_000)) {
            if (event.table() != SkiTable.LIFT_RIDE) {
                continue;
            }
            JsonNode row = parse(event);
            assertThat(row.get("TXID").asText()).matches(UUID);
            assertThat(row.get("RFID").asText()).matches(RFID);
            Resort resort = Resort.byDisplayName(row.get("RESORT").asText());
            assertThat(resort).as(event.json()).isNotNull();
            assertThat(resort.lifts()).contains(row.get("LIFT").asText());
            assertThat(row.get("RIDE_TIME").asText()).matches(DATETIME);
            assertThat(row.get("ACTIVATION_DAY_COUNT").isInt()).isTrue();
            assertThat(row.get("ACTIVATION_DAY_COUNT").asInt()).isBetween(1, 366);
        }
    }

    @Test
    void every_ride_refers_to_an_rfid_sold_before_it_at_or_before_the_ride_time() {
        Map<String, String> purchaseTimeByRfid = new java.util.HashMap<>();
        Map<String, String> ticketResortByRfid = new java.util.HashMap<>();
        int rides = 0;
        for (GeneratedEvent event : generate(4, 50_000)) {
            JsonNode row = parse(event);
            String rfid = row.get("RFID").asText();
            switch (event.table()) {
                case RESORT_TICKET -> {
                    assertThat(purchaseTimeByRfid.put(rfid, row.get("PURCHASE_TIME").asText())).isNull();
                    ticketResortByRfid.put(rfid, row.get("RESORT").asText());
                }
                case SEASON_PASS -> assertThat(purchaseTimeByRfid.put(rfid, row.get("PURCHASE_TIME").asText())).isNull();
                case LIFT_RIDE -> {
                    rides++;
                    assertThat(purchaseTimeByRfid).as("ride of an unsold RFID: " + event.json()).containsKey(rfid);
                    assertThat(row.get("RIDE_TIME").asText()).isGreaterThanOrEqualTo(purchaseTimeByRfid.get(rfid));
                    if (ticketResortByRfid.containsKey(rfid)) {
                        assertThat(row.get("RESORT").asText()).isEqualTo(ticketResortByRfid.get(rfid));
                    }
                }
            }
        }
        assertThat(rides).isPositive();
    }

    @Test
    void rides_far_outnumber_tickets_and_passes_are_one_per_twenty_tickets() {
        Map<SkiTable, Integer> counts = new EnumMap<>(SkiTable.class);
        for (GeneratedEvent event : generate(5, 100_000)) {
            counts.merge(event.table(), 1, Integer::sum);
        }
        int tickets = counts.get(SkiTable.RESORT_TICKET);
        int passes = counts.get(SkiTable.SEASON_PASS);
        int rides = counts.get(SkiTable.LIFT_RIDE);
        assertThat(rides).as(counts.toString()).isGreaterThan(5 * tickets);
        assertThat(passes).as(counts.toString()).isBetween(tickets / 20 - 1, tickets / 20 + 1);
    }

    @Test
    void even_a_short_run_has_rides() {
        Map<SkiTable, Integer> counts = new EnumMap<>(SkiTable.class);
        for (GeneratedEvent event : generate(6, 2_000)) {
            counts.merge(event.table(), 1, Integer::sum);
        }
        assertThat(counts.getOrDefault(SkiTable.LIFT_RIDE, 0)).as(counts.toString())
                .isGreaterThan(counts.get(SkiTable.RESORT_TICKET));
    }

    @Test
    void events_are_generated_fast() {
        SkiResortGenerator generator = new SkiResortGenerator(9);
        for (int i = 0; i < 20_000; i++) {
            generator.next(); // warm up
        }
        // CPU time of this thread, not wall time: a loaded, shared machine must not make this fail.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            generator.next();
        }
        double perCpuSecond = n / ((threads.getCurrentThreadCpuTime() - start) / 1e9);
        // Tens of thousands a second are needed; the bound leaves room for a slow, shared machine.
        assertThat(perCpuSecond).isGreaterThan(20_000);
    }
}
