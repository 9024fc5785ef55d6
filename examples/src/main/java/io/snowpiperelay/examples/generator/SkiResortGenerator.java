package io.snowpiperelay.examples.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import net.datafaker.Faker;

/**
 * Simulates the ski-resort world of Snowflake's streaming quickstart and emits its events one at a time:
 * day tickets ({@link SkiTable#RESORT_TICKET}), season passes ({@link SkiTable#SEASON_PASS}) and lift rides
 * ({@link SkiTable#LIFT_RIDE}) by the holders of those tickets and passes.
 *
 * <h2>The world, as upstream</h2>
 * A simulated clock advances in loops. Every loop sells {@value #TICKETS_PER_LOOP} tickets (resort, days and
 * price drawn with the quickstart's weights) and one season pass per {@value #TICKETS_PER_SEASON_PASS} tickets,
 * then checks a random sample of active holders (at most {@value #MAX_TICKETS_CHECKED_PER_LOOP} tickets and
 * {@value #MAX_PASSES_CHECKED_PER_LOOP} passes): a holder rides on a day with probability 0.85 (ticket) or 0.10
 * (pass, at a resort drawn with the resort weights), during opening hours, every 10–29 minutes (30–59 with
 * probability 0.1), on a lift chosen by the rider's skill. Every ride therefore refers to an RFID that was sold
 * before it, and rides outnumber tickets many times once the resorts are open.
 *
 * <h2>Deliberate differences from upstream</h2>
 * <ul>
 *   <li><b>Reproducible.</b> Everything, including the TXIDs, comes from one {@link Random} seeded with the
 *       given seed, and the clock advances by a fixed step per loop instead of by wall-clock time. The same
 *       seed and start give the same events in the same order, whatever the rate they are consumed at; the
 *       first N events of a longer run are the N events of a shorter one.</li>
 *   <li><b>Nights go fast.</b> While every resort is closed the clock advances by {@link #CLOSED_STEP} rather
 *       than {@link #OPEN_STEP}, so nights do not flood the stream with ticket sales and no rides.</li>
 *   <li><b>Days are resort-local</b> (weekend prices, the riding decision), and a ticket day counts as used
 *       only when the holder actually rides, so a ticket bought after closing does not lose a day.</li>
 *   <li><b>Values are typed for the columns</b>: {@code PRICE_USD} with two decimals, {@code PURCHASE_TIME} and
 *       {@code RIDE_TIME} as {@code YYYY-MM-DD HH:MM:SS} (UTC wall clock, for the {@code DATETIME} columns),
 *       {@code EXPIRATION_TIME} as a {@code YYYY-MM-DD} date, and only the table's columns as keys (no
 *       {@code DAYS_USED}, which the tables do not have).</li>
 *   <li>Within a loop, event times are spread over the loop's step instead of all sharing one timestamp.</li>
 * </ul>
 *
 * <p>Not thread-safe: one thread pulls events with {@link #next()}.
 */
public final class SkiResortGenerator {

    /** The world clock starts on a Friday at 08:00 in Colorado (15:00 UTC), when the lifts open. */
    public static final Instant DEFAULT_WORLD_START = Instant.parse("2026-12-18T15:00:00Z");
    /** Simulated time per loop while at least one resort is open. */
    public static final Duration OPEN_STEP = Duration.ofSeconds(60);
    /** Simulated time per loop while every resort is closed. */
    public static final Duration CLOSED_STEP = Duration.ofMinutes(10);
    /** Day tickets sold per loop (upstream: 5). */
    public static final int TICKETS_PER_LOOP = 5;
    /** One season pass is sold per this many day tickets (upstream: 20). */
    public static final int TICKETS_PER_SEASON_PASS = 20;
    /** Active tickets checked for a ride per loop (upstream: 1000). */
    public static final int MAX_TICKETS_CHECKED_PER_LOOP = 1000;
    /** Active season passes checked for a ride per loop (upstream: 200). */
    public static final int MAX_PASSES_CHECKED_PER_LOOP = 200;
    /** Probability that a ticket holder skis on a given day. */
    public static final double TICKET_RIDING_CHANCE = 0.85;
    /** Probability that a season-pass holder skis on a given day. */
    public static final double PASS_RIDING_CHANCE = 0.10;
    /** Probability that an address, phone, e-mail or emergency contact is missing (each independently). */
    public static final double MISSING_CONTACT_FIELD_CHANCE = 0.2;

    private static final int[] TICKET_DAYS = {1, 2, 3, 4, 5, 6, 7};
    private static final double[] TICKET_DAY_WEIGHTS = {0.35, 0.35, 0.10, 0.05, 0.05, 0.05, 0.05};
    private static final int[] SEASON_PASS_PRICES_USD = {1051, 783, 537, 407};
    private static final double[] SEASON_PASS_PRICE_WEIGHTS = {0.40, 0.50, 0.05, 0.05};
    private static final int SEASON_PASS_VALID_DAYS = 365;
    private static final ZoneId PASS_DAY_ZONE = ZoneId.of("America/Denver");
    private static final Resort[] RESORTS = Resort.values();
    private static final double[] RESORT_WEIGHTS = resortWeights();
    private static final long SECONDS_PER_HOUR = 3600;
    private static final long SECONDS_PER_DAY = 86_400;

    private final Random random;
    private final Faker faker;
    private final JsonText json = new JsonText();
    private final ArrayDeque<GeneratedEvent> pending = new ArrayDeque<>();
    private final ArrayList<Holder> activeTickets = new ArrayList<>();
    private final ArrayList<Holder> activePasses = new ArrayList<>();
    private final TimestampText timestamps = new TimestampText();

    /** Per-loop facts per resort (index = ordinal), computed once per loop. */
    private final boolean[] openNow = new boolean[RESORTS.length];
    private final long[] localDayNow = new long[RESORTS.length];
    private final boolean[] weekendNow = new boolean[RESORTS.length];

    private long worldSecond;
    private long lastSweepHour = Long.MIN_VALUE;
    private long ticketsSold;
    private long passesSold;
    private long loops;

    /** A generator seeded with {@code seed} whose world starts at {@link #DEFAULT_WORLD_START}. */
    public SkiResortGenerator(long seed) {
        this(seed, DEFAULT_WORLD_START);
    }

    /**
     * A generator seeded with {@code seed} whose world clock starts at {@code worldStart} (truncated to the
     * second).
     */
    public SkiResortGenerator(long seed, Instant worldStart) {
        this.random = new Random(seed);
        this.faker = new Faker(Locale.US, random);
        this.worldSecond = worldStart.getEpochSecond();
    }

    /** The next event; never {@code null} (the world never ends). */
    public GeneratedEvent next() {
        while (pending.isEmpty()) {
            runLoop();
        }
        return pending.poll();
    }

    /** The current world time: the start of the loop being emitted. */
    public Instant worldTime() {
        return Instant.ofEpochSecond(worldSecond);
    }

    /** Loops simulated so far. */
    public long loops() {
        return loops;
    }

    private void runLoop() {
        long loopStart = worldSecond;
        boolean anyOpen = observeResorts(loopStart);
        long step = anyOpen ? OPEN_STEP.getSeconds() : CLOSED_STEP.getSeconds();
        long hour = Math.floorDiv(loopStart, SECONDS_PER_HOUR);
        if (hour != lastSweepHour) {
            lastSweepHour = hour;
            sweepSpent(loopStart);
        }
        // Passes first, as upstream: they trail the ticket count by one loop.
        while (passesSold < ticketsSold / TICKETS_PER_SEASON_PASS) {
            sellSeasonPass(loopStart + random.nextInt((int) step));
        }
        for (int i = 0; i < TICKETS_PER_LOOP; i++) {
            sellTicket(loopStart + random.nextInt((int) step));
        }
        if (anyOpen) {
            checkHolders(activeTickets, MAX_TICKETS_CHECKED_PER_LOOP, loopStart, step);
            checkHolders(activePasses, MAX_PASSES_CHECKED_PER_LOOP, loopStart, step);
        }
        worldSecond = loopStart + step;
        loops++;
    }

    private boolean observeResorts(long second) {
        boolean anyOpen = false;
        Instant now = Instant.ofEpochSecond(second);
        for (Resort resort : RESORTS) {
            ZonedDateTime local = now.atZone(resort.zone());
            int i = resort.ordinal();
            int hour = local.getHour();
            openNow[i] = hour >= Resort.OPENING_HOUR && hour < Resort.CLOSING_HOUR;
            localDayNow[i] = local.toLocalDate().toEpochDay();
            int dayOfWeek = local.getDayOfWeek().getValue();
            weekendNow[i] = dayOfWeek >= 6;
            anyOpen |= openNow[i];
        }
        return anyOpen;
    }

    /** Drops holders who can never ride again: expired, or a ticket whose days are all used. */
    private void sweepSpent(long now) {
        activeTickets.removeIf(h -> h.expirySecond < now
                || (h.daysUsed >= h.days && h.lastUsedDay != localDayNow[h.resort.ordinal()]));
        activePasses.removeIf(h -> h.expirySecond < now);
    }

    private void sellTicket(long purchaseSecond) {
        Resort resort = RESORTS[pick(RESORT_WEIGHTS)];
        int days = TICKET_DAYS[pick(TICKET_DAY_WEIGHTS)];
        String txid = txid();
        String rfid = rfid();
        // Weekend by the resort's local date at purchase (upstream used the UTC date).
        boolean weekend = LocalDate.ofEpochDay(localDay(resort, purchaseSecond)).getDayOfWeek().getValue() >= 6;
        double multiplier = weekend ? resort.weekendMultiplier().doubleValue() : 1.0;
        double variation = 0.9 + 0.2 * random.nextDouble();
        long priceCents = Math.round(resort.baseTicketPriceUsd() * multiplier * variation * days * 100.0);
        long expirySecond = purchaseSecond + 2L * days * SECONDS_PER_DAY;
        double skill = random.nextDouble();

        json.reset()
                .string("TXID", txid)
                .string("RFID", rfid)
                .string("RESORT", resort.displayName())
                .string("PURCHASE_TIME", timestamps.format(purchaseSecond))
                .cents("PRICE_USD", priceCents)
                .string("EXPIRATION_TIME", utcDate(expirySecond))
                .number("DAYS", days);
        customer();
        emit(SkiTable.RESORT_TICKET, json.finish());

        activeTickets.add(new Holder(rfid, resort, days, skill, purchaseSecond, expirySecond));
        ticketsSold++;
    }

    private void sellSeasonPass(long purchaseSecond) {
        String txid = txid();
        String rfid = rfid();
        int priceUsd = SEASON_PASS_PRICES_USD[pick(SEASON_PASS_PRICE_WEIGHTS)];
        long expirySecond = purchaseSecond + SEASON_PASS_VALID_DAYS * SECONDS_PER_DAY;
        double skill = random.nextDouble();

        json.reset()
                .string("TXID", txid)
                .string("RFID", rfid)
                .string("PURCHASE_TIME", timestamps.format(purchaseSecond))
                .cents("PRICE_USD", priceUsd * 100L)
                .string("EXPIRATION_TIME", utcDate(expirySecond));
        customer();
        emit(SkiTable.SEASON_PASS, json.finish());

        activePasses.add(new Holder(rfid, null, 0, skill, purchaseSecond, expirySecond));
        passesSold++;
    }

    /** NAME, ADDRESS, PHONE, EMAIL, EMERGENCY_CONTACT: the customer part shared by tickets and passes. */
    private void customer() {
        json.string("NAME", faker.name().fullName());
        if (random.nextDouble() < MISSING_CONTACT_FIELD_CHANCE) {
            json.nullValue("ADDRESS");
        } else {
            String state = faker.address().stateAbbr();
            json.beginObject("ADDRESS")
                    .string("STREET_ADDRESS", faker.address().streetAddress())
                    .string("CITY", faker.address().city())
                    .string("STATE", state)
                    .string("POSTALCODE", faker.address().zipCodeByState(state))
                    .endObject();
        }
        json.string("PHONE", random.nextDouble() < MISSING_CONTACT_FIELD_CHANCE
                ? null : faker.phoneNumber().phoneNumber());
        json.string("EMAIL", random.nextDouble() < MISSING_CONTACT_FIELD_CHANCE
                ? null : faker.internet().safeEmailAddress());
        if (random.nextDouble() < MISSING_CONTACT_FIELD_CHANCE) {
            json.nullValue("EMERGENCY_CONTACT");
        } else {
            json.beginObject("EMERGENCY_CONTACT")
                    .string("NAME", faker.name().fullName())
                    .string("PHONE", faker.phoneNumber().phoneNumber())
                    .endObject();
        }
    }

    /** Checks a random sample (without repeats) of {@code holders} for a ride, as upstream. */
    private void checkHolders(ArrayList<Holder> holders, int maxChecked, long loopStart, long step) {
        int size = holders.size();
        int checked = Math.min(size, maxChecked);
        for (int i = 0; i < checked; i++) {
            // Partial Fisher-Yates: position i receives a uniformly drawn holder not yet checked this loop.
            int j = i + random.nextInt(size - i);
            Holder holder = holders.get(j);
            holders.set(j, holders.get(i));
            holders.set(i, holder);
            maybeRide(holder, loopStart, step);
        }
    }

    private void maybeRide(Holder holder, long loopStart, long step) {
        if (holder.expirySecond < loopStart) {
            return;
        }
        Resort resort;
        if (holder.isTicket()) {
            resort = holder.resort;
            long today = localDayNow[resort.ordinal()];
            if (holder.decisionDay != today) {
                holder.decisionDay = today;
                boolean dayLeft = holder.daysUsed < holder.days || holder.lastUsedDay == today;
                holder.ridingToday = dayLeft && random.nextDouble() < TICKET_RIDING_CHANCE;
            }
        } else {
            long today = LocalDate.ofInstant(Instant.ofEpochSecond(loopStart), PASS_DAY_ZONE).toEpochDay();
            if (holder.decisionDay != today) {
                holder.decisionDay = today;
                holder.ridingToday = random.nextDouble() < PASS_RIDING_CHANCE;
                holder.resortToday = holder.ridingToday ? RESORTS[pick(RESORT_WEIGHTS)] : null;
            }
            resort = holder.resortToday;
        }
        if (!holder.ridingToday || !openNow[resort.ordinal()] || !needsRide(holder, loopStart)) {
            return;
        }
        long rideSecond = loopStart + random.nextInt((int) step);
        rideSecond = Math.max(rideSecond, Math.max(holder.purchaseSecond, holder.lastRideSecond + 1));
        long today = localDayNow[resort.ordinal()];
        if (holder.lastUsedDay != today) {
            holder.lastUsedDay = today;
            holder.daysUsed++;
        }
        holder.lastRideSecond = rideSecond;

        json.reset()
                .string("TXID", txid())
                .string("RFID", holder.rfid)
                .string("RESORT", resort.displayName())
                .string("LIFT", lift(resort, holder.skill))
                .string("RIDE_TIME", timestamps.format(rideSecond))
                .number("ACTIVATION_DAY_COUNT", holder.daysUsed);
        emit(SkiTable.LIFT_RIDE, json.finish());
    }

    /** Upstream's rule: a fresh wait of 10–29 minutes (30–59 with probability 0.1) at every check. */
    private boolean needsRide(Holder holder, long now) {
        if (holder.lastRideSecond < 0) {
            return true;
        }
        int waitMinutes = random.nextDouble() < 0.9 ? 10 + random.nextInt(20) : 30 + random.nextInt(30);
        return holder.lastRideSecond + waitMinutes * 60L < now;
    }

    /** Beginners ride the first third of the list, intermediates the middle half, experts the last third. */
    private String lift(Resort resort, double skill) {
        int n = resort.lifts().size();
        int low;
        int high;
        if (skill < 0.3) {
            low = 0;
            high = Math.max(1, n / 3);
        } else if (skill < 0.7) {
            low = n / 4;
            high = 3 * n / 4;
        } else {
            low = 2 * n / 3;
            high = n - 1;
        }
        int index = Math.min(low + random.nextInt(high - low + 1), n - 1);
        return resort.lifts().get(index);
    }

    private void emit(SkiTable table, String text) {
        pending.add(new GeneratedEvent(table, text));
    }

    /** A version-4 UUID from the seeded random, so TXIDs are reproducible too. */
    private String txid() {
        long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /** 96 random bits in lower-case hex with a {@code 0x} prefix and no zero padding, as upstream. */
    private String rfid() {
        long high = random.nextInt() & 0xffffffffL;
        long low = random.nextLong();
        StringBuilder text = new StringBuilder(26).append("0x");
        if (high != 0) {
            text.append(Long.toHexString(high));
            String lowHex = Long.toHexString(low);
            text.append("0".repeat(16 - lowHex.length())).append(lowHex);
        } else {
            text.append(Long.toUnsignedString(low, 16));
        }
        return text.toString();
    }

    private int pick(double[] weights) {
        double r = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (r < cumulative) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static long localDay(Resort resort, long second) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(second), resort.zone()).toEpochDay();
    }

    private static String utcDate(long second) {
        return LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).toLocalDate().toString();
    }

    private static double[] resortWeights() {
        double[] weights = new double[RESORTS.length];
        for (Resort resort : RESORTS) {
            weights[resort.ordinal()] = resort.weight();
        }
        return weights;
    }

    /** A ticket or season pass in circulation, with what the ride rules need to know about its holder. */
    private static final class Holder {
        final String rfid;
        /** The ticket's resort; {@code null} for a season pass (its resort is drawn per day). */
        final Resort resort;
        /** Days a ticket is valid for; 0 for a pass. */
        final int days;
        final double skill;
        final long purchaseSecond;
        final long expirySecond;
        long decisionDay = Long.MIN_VALUE;
        boolean ridingToday;
        Resort resortToday;
        long lastUsedDay = Long.MIN_VALUE;
        int daysUsed;
        long lastRideSecond = -1;

        Holder(String rfid, Resort resort, int days, double skill, long purchaseSecond, long expirySecond) {
            this.rfid = rfid;
            this.resort = resort;
            this.days = days;
            this.skill = skill;
            this.purchaseSecond = purchaseSecond;
            this.expirySecond = expirySecond;
        }

        boolean isTicket() {
            return resort != null;
        }
    }
}
