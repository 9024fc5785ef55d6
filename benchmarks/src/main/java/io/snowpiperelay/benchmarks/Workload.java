package io.snowpiperelay.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The two row shapes the benchmarks move: ski-resort lift rides (about 200 bytes of JSON) and resort
 * tickets (about 550 bytes, with nested objects), shaped like the quickstart's generator writes them
 * (Python {@code json.dumps} separators, {@code +00:00} timestamps, {@code 0x} RFIDs).
 *
 * <p>Payloads are deterministic: {@link #payload(long)} of the same index gives the same text in every run,
 * so every mode and repeat of the end-to-end tool moves exactly the same bytes. Thread-safe.
 */
public enum Workload {

    /** {@code LIFT_RIDE}: six scalar columns, about 200 bytes of JSON. */
    LIFT_RIDE("""
            LIFT_RIDE (TXID varchar(255), RFID varchar(255), RESORT varchar(255),
              LIFT varchar(255), RIDE_TIME datetime, ACTIVATION_DAY_COUNT integer)"""),

    /** {@code RESORT_TICKET}: twelve columns of which two VARIANT objects, about 550 bytes of JSON. */
    RESORT_TICKET("""
            RESORT_TICKET (TXID varchar(255), RFID varchar(255), RESORT varchar(255),
              PURCHASE_TIME datetime, PRICE_USD DECIMAL(7,2), EXPIRATION_TIME date, DAYS number, DAYS_USED number,
              NAME varchar(255), ADDRESS variant, PHONE varchar(255), EMAIL varchar(255), EMERGENCY_CONTACT variant)""");

    /** The database and schema every benchmark table lives in. */
    public static final String DATABASE = "BENCH_DB";
    public static final String SCHEMA = "BENCH";

    private static final long SEED = 20261123L;
    private static final Instant WORLD_START = Instant.parse("2026-11-23T15:00:00Z");
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String[] RESORTS = {"Vail", "Beaver Creek", "Breckenridge", "Keystone", "Heavenly"};
    private static final String[][] LIFTS = {
            {"Eagle Bahn Gondola", "Gondola One", "Game Creek Express", "Riva Bahn Express", "Born Free Express",
                    "Orient Express", "Golden Peak", "Lionshead Magic Carpet"},
            {"Haymeadow Express Gondola", "Centennial Express", "Birds of Prey Express", "Grouse Mountain Express",
                    "Elkhorn", "Snowflake"},
            {"BreckConnect Gondola", "Falcon SuperChair", "Independance SuperChair", "QuickSilver Super 6",
                    "Imperial Express SuperChair", "Horseshoe Bowl T-Bar", "Castle Carpet 1"},
            {"River Run Gondola", "Outpost Gondola", "Peru Express", "Montezuma Express", "Double Barrel 2", "Kokomo"},
            {"Aerial Tram", "Heavenly Gondola", "Tamarack Express", "Comet Express", "Mott Canyon", "Tubing Lift"}};
    private static final String[] FIRST = {"Traci", "Erica", "Jonathan", "Maria", "Kevin", "Ashley", "Brandon",
            "Samantha", "Christopher", "Heather", "Daniel", "Michelle"};
    private static final String[] LAST = {"Snyder", "Ortiz", "Hernandez", "Williams", "Nguyen", "Fitzgerald",
            "Johnson", "Kowalski", "Anderson", "Ramirez"};
    private static final String[] STREETS = {"Fitzgerald Burgs", "Maple Crossing", "Aspen Trail", "Lakeview Drive",
            "Willow Unions", "Cedar Parkways"};
    private static final String[] CITIES = {"North Rogerview", "Lake Jessica", "Port Daniel", "East Kimberly",
            "Denver", "South Tahoe"};
    private static final String[] STATES = {"WV", "CO", "CA", "NV", "TX", "NY", "UT", "WA"};
    private static final String[] PHONES = {"+1-904-357-5004x07933", "(678)384-2377x82602", "759.866.0888",
            "001-303-555-0187", "970.476.1000x123"};
    private static final String[] MAIL_DOMAINS = {"example.org", "example.com", "example.net"};

    private final String tableDefinition;

    Workload(String tableDefinition) {
        this.tableDefinition = tableDefinition;
    }

    /** The table (and default pipe prefix) name in the emulator. */
    public String table() {
        return name();
    }

    /** The default streaming pipe of the table, which needs no DDL. */
    public String pipe() {
        return name() + "-STREAMING";
    }

    /** The Snowflake SQL that creates the database, schema and this table, as a user would run it. */
    public String setupSql() {
        return "CREATE OR REPLACE DATABASE " + DATABASE + ";\n"
                + "CREATE OR REPLACE SCHEMA " + DATABASE + "." + SCHEMA + ";\n"
                + "CREATE OR REPLACE TABLE " + DATABASE + "." + SCHEMA + "." + tableDefinition + ";\n";
    }

    /** Parses {@code LIFT_RIDE}/{@code RESORT_TICKET}, also the short forms {@code rides}/{@code tickets}. */
    public static Workload parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "LIFT_RIDE", "RIDES", "RIDE", "LIFT_RIDES" -> LIFT_RIDE;
            case "RESORT_TICKET", "TICKETS", "TICKET", "RESORT_TICKETS" -> RESORT_TICKET;
            default -> throw new IllegalArgumentException(
                    "table must be LIFT_RIDE or RESORT_TICKET (or rides/tickets), was '" + text + "'");
        };
    }

    /** The JSON payload of row {@code index} (0-based), the same text in every run. */
    public String payload(long index) {
        SplittableRandom random = new SplittableRandom(SEED ^ (index * 0x9E3779B97F4A7C15L));
        return this == LIFT_RIDE ? liftRide(index, random) : resortTicket(index, random);
    }

    /** The payloads of rows {@code fromIndex} (inclusive) to {@code toIndex} (exclusive). */
    public List<String> payloads(long fromIndex, long toIndex) {
        List<String> out = new ArrayList<>((int) (toIndex - fromIndex));
        for (long i = fromIndex; i < toIndex; i++) {
            out.add(payload(i));
        }
        return out;
    }

    private static String liftRide(long index, SplittableRandom random) {
        int resort = random.nextInt(RESORTS.length);
        String[] lifts = LIFTS[resort];
        StringBuilder json = new StringBuilder(224);
        json.append("{\"TXID\": \"").append(uuid(random))
                .append("\", \"RFID\": \"").append(rfid(random))
                .append("\", \"RIDE_TIME\": \"").append(ISO_MICROS.format(worldTime(index, random)))
                .append("\", \"LIFT\": \"").append(lifts[random.nextInt(lifts.length)])
                .append("\", \"RESORT\": \"").append(RESORTS[resort])
                .append("\", \"ACTIVATION_DAY_COUNT\": ").append(1 + random.nextInt(7))
                .append('}');
        return json.toString();
    }

    private static String resortTicket(long index, SplittableRandom random) {
        int resort = random.nextInt(RESORTS.length);
        int days = 1 + random.nextInt(7);
        Instant purchase = worldTime(index, random).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
        StringBuilder json = new StringBuilder(600);
        json.append("{\"TXID\": \"").append(uuid(random))
                .append("\", \"RFID\": \"").append(rfid(random))
                .append("\", \"PURCHASE_TIME\": \"").append(ISO_SECONDS.format(purchase))
                .append("\", \"PRICE_USD\": ").append(81 + random.nextInt(840))
                .append(", \"EXPIRATION_TIME\": \"").append(ISO_SECONDS.format(purchase.plusSeconds(2L * days * 86_400)))
                .append("\", \"NAME\": \"").append(name)
                .append("\", \"ADDRESS\": {\"STREET_ADDRESS\": \"").append(100 + random.nextInt(9800)).append(' ')
                .append(STREETS[random.nextInt(STREETS.length)])
                .append("\", \"CITY\": \"").append(CITIES[random.nextInt(CITIES.length)])
                .append("\", \"STATE\": \"").append(STATES[random.nextInt(STATES.length)])
                .append("\", \"POSTALCODE\": \"").append(10000 + random.nextInt(89999))
                .append("\"}, \"PHONE\": \"").append(PHONES[random.nextInt(PHONES.length)])
                .append("\", \"EMAIL\": \"").append(name.toLowerCase(Locale.ROOT).replace(' ', '.'))
                .append(random.nextInt(100)).append('@').append(MAIL_DOMAINS[random.nextInt(MAIL_DOMAINS.length)])
                .append("\", \"EMERGENCY_CONTACT\": {\"NAME\": \"").append(FIRST[random.nextInt(FIRST.length)])
                .append(' ').append(LAST[random.nextInt(LAST.length)])
                .append("\", \"PHONE\": \"").append(PHONES[random.nextInt(PHONES.length)])
                .append("\"}, \"DAYS\": ").append(days)
                .append(", \"RESORT\": \"").append(RESORTS[resort])
                .append("\", \"DAYS_USED\": 0}");
        return json.toString();
    }

    private static Instant worldTime(long index, SplittableRandom random) {
        // Rides of one generator loop share a time; about 100 rows per simulated second.
        return WORLD_START.plusMillis(index * 10 + random.nextInt(10)).plusNanos(random.nextInt(1000) * 1000L);
    }

    private static String uuid(SplittableRandom random) {
        return new java.util.UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private static String rfid(SplittableRandom random) {
        // Python hex() of 96 random bits: no zero padding.
        long high = random.nextLong() >>> 32;
        long low = random.nextLong();
        String lowHex = Long.toHexString(low);
        if (high == 0) {
            return "0x" + lowHex;
        }
        return "0x" + Long.toHexString(high) + "0".repeat(16 - lowHex.length()) + lowHex;
    }
}
