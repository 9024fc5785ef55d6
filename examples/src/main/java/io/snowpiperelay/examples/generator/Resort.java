package io.snowpiperelay.examples.generator;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/**
 * The five resorts of the quickstart, with the constants that drive the generator: the weight with which a
 * ticket (or a season-pass holder's day) goes to the resort, its time zone, the day-ticket base price and
 * weekend multiplier, its capacity, and its lifts.
 *
 * <p>The lift lists are copied in the quickstart's order, which matters: a rider's skill picks a range of
 * indexes (beginners the first third, experts the last third). Vail's list has "Golden Peak" twice, and
 * "Snowflake" is a lift at both Beaver Creek and Breckenridge, as upstream.
 */
public enum Resort {

    VAIL("Vail", 0.25, "America/Denver", 120, "1.6", 7000, List.of(
            "Eagle Bahn Gondola", "Gondola One", "Game Creek Express", "Northwoods Express", "Avanti Express",
            "Mountain Top Express", "Sun Down Express", "Sun Up Express", "High Noon Express", "Sourdough Express",
            "Highline Express", "Pete's Express", "Tea Cup Express", "Skyline Express", "Earl's Express",
            "Riva Bahn Express", "Wildwood Express", "Pride Express", "Born Free Express", "Orient Express",
            "Cascade Village", "Golden Peak", "Little Eagle", "Golden Peak", "Wapiti", "Mongolia", "Black Forest",
            "Elvis Bahn", "Rip's Ride Carpet", "Adventure Ridge", "Thunder Cat Carpet", "Golden Peak Carpet",
            "Lightning Coyote", "Lionshead Magic Carpet")),
    BEAVER_CREEK("Beaver Creek", 0.20, "America/Denver", 110, "1.5", 5500, List.of(
            "Haymeadow Express Gondola", "Riverfront Express", "Centennial Express", "McCoy Park Express Chairlift",
            "Red Buffalo Express 5", "Rose Bowl Express", "Larkspur Express", "Lower Beaver Creek Mountain Express",
            "Upper Beaver Creek Mountain Express", "Birds of Prey Express", "Cinch Express", "Bachelor Gulch Express",
            "Strawberry Park Express", "Grouse Mountain Express", "Arrow Bahn Express", "Reunion Chairlift",
            "Elkhorn", "Highlands", "Magic Carpet Beaver Creek", "Ritz Bahn", "Wagon Train", "Jitterbug",
            "Bibber Bahn", "Trail Rider", "Snowflake")),
    BRECKENRIDGE("Breckenridge", 0.25, "America/Denver", 100, "1.7", 6500, List.of(
            "BreckConnect Gondola", "Falcon SuperChair", "Colorado SuperChair", "Kensho SuperChair",
            "Independance SuperChair", "QuickSilver Super 6", "Five SuperChair", "Rip's Ride", "Freedom SuperChair",
            "Imperial Express SuperChair", "Peak 8 Super Connect", "Mercury SuperChair", "Rocky Mountain SuperChair",
            "Beaver Run SuperChair", "Zendo Chair", "A-Chair", "Snowflake", "C-Chair", "E-Chair", "6-Chair",
            "Horseshoe Bowl T-Bar", "Trygve's Platter", "Eldora Platter", "Camelback Platter", "El Dorado Tow",
            "Castle Carpet 2", "Village Carpet B", "El Dorado Carpet C", "El Dorado Carpet D",
            "Ski and Ride Carpet 1", "Ski and Ride Carpet 4", "Village Carpet A", "Ski and Ride Carpet 2",
            "Ski and Ride Carpet 3", "Castle Carpet 1")),
    KEYSTONE("Keystone", 0.20, "America/Denver", 90, "1.6", 4500, List.of(
            "River Run Gondola", "Outpost Gondola", "Bergman Bowl Express", "Peru Express", "Montezuma Express",
            "Ruby Express", "Santiago Express", "Summit Express", "Outback Express", "Wayback", "Ranger",
            "Discovery", "A51 Lift", "Mid-Station Ski School", "Kokomo", "Double Barrel 2", "Sun Kid", "Cadillac",
            "Double Barrel 1", "Triangle", "Tubing Hill")),
    HEAVENLY("Heavenly", 0.10, "America/Los_Angeles", 110, "1.5", 5000, List.of(
            "Aerial Tram", "Heavenly Gondola", "Powderbowl Express", "Tamarack Express", "North Bowl Express",
            "Olympic Express", "Canyon Express", "Stagecoach Express", "Gunbarrel Express", "Dipper Express",
            "Comet Express", "Sky Express", "Big Easy", "Galaxy", "First Ride", "Groove", "Boulder", "Patsy's",
            "World Cup", "Mott Canyon", "Mitey-Mite Forest", "Pioneer Mitey Mite Tow", "DMZ Carpet",
            "Enchanted Carpet", "Boulder Carpet", "Bear Cave Carpet", "Tubing Lift"));

    /** Lifts run from 08:00 (inclusive) to 16:00 (exclusive), resort local time. */
    public static final int OPENING_HOUR = 8;
    /** See {@link #OPENING_HOUR}. */
    public static final int CLOSING_HOUR = 16;

    private final String displayName;
    private final double weight;
    private final ZoneId zone;
    private final int baseTicketPriceUsd;
    private final BigDecimal weekendMultiplier;
    private final int maxCapacity;
    private final List<String> lifts;

    Resort(String displayName, double weight, String zone, int baseTicketPriceUsd, String weekendMultiplier,
            int maxCapacity, List<String> lifts) {
        this.displayName = displayName;
        this.weight = weight;
        this.zone = ZoneId.of(zone);
        this.baseTicketPriceUsd = baseTicketPriceUsd;
        this.weekendMultiplier = new BigDecimal(weekendMultiplier);
        this.maxCapacity = maxCapacity;
        this.lifts = lifts;
    }

    /** The name as it appears in the {@code RESORT} column, e.g. {@code "Beaver Creek"}. */
    public String displayName() {
        return displayName;
    }

    /** The share of ticket sales (and of season-pass visits) going to this resort; the weights sum to 1. */
    public double weight() {
        return weight;
    }

    /** The resort's time zone: opening hours and weekends are local. */
    public ZoneId zone() {
        return zone;
    }

    /** The price of a one-day ticket on a weekday, before the ±10 % daily variation. */
    public int baseTicketPriceUsd() {
        return baseTicketPriceUsd;
    }

    /** The factor applied to ticket prices on Saturdays and Sundays (resort local date). */
    public BigDecimal weekendMultiplier() {
        return weekendMultiplier;
    }

    /** The quickstart's {@code RESORT_CAPACITY.MAX_CAPACITY}: visitors a day. */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** The resort's lifts, in the order the skill rule indexes them. */
    public List<String> lifts() {
        return lifts;
    }

    /** The resort whose {@link #displayName()} is {@code name}, or {@code null}. */
    public static Resort byDisplayName(String name) {
        for (Resort resort : values()) {
            if (resort.displayName.equals(name)) {
                return resort;
            }
        }
        return null;
    }
}
