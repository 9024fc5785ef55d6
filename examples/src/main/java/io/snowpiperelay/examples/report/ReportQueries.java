package io.snowpiperelay.examples.report;

import io.snowpiperelay.examples.generator.SkiTable;
import java.util.List;

/**
 * The ski-resort reports as SQL over the landed tables, written once here for the report command, the demo
 * and the dashboard. They are the quickstart's dynamic-table logic ({@code docs/snowflake-setup.sql} has the
 * Snowflake versions: {@code DAILY_VISITS}, {@code HOURLY_LIFT_ACTIVITY}, {@code DAILY_RESORT_SUMMARY},
 * {@code V_LIFT_PERFORMANCE_30MIN}) in the SQLite dialect of the emulator's store, where each Snowflake table
 * is an SQLite table with the same name and columns (timestamps as ISO text, VARIANT as JSON text, decimals as
 * numbers).
 *
 * <p>As in the quickstart's dashboard, "now" comes from the data (the latest ride), never from the wall clock.
 * Dates and hours are UTC; resorts are open 08:00–16:00 Mountain or Pacific time, so a ride's UTC date is its
 * local date too. Every query takes no parameters and returns rows with upper-case column names.
 */
public final class ReportQueries {

    private ReportQueries() {
    }

    /** Rows landed in one table: one row, column {@code ROWS_LANDED}. */
    public static String rowCount(SkiTable table) {
        // The table name comes from the enum, never from input.
        return "SELECT COUNT(*) AS ROWS_LANDED FROM " + table.tableName();
    }

    /** The world clock: the latest purchase or ride time in the data, column {@code WORLD_TIME} (may be null). */
    public static final String WORLD_TIME = """
            SELECT MAX(T) AS WORLD_TIME FROM (
              SELECT MAX(RIDE_TIME) AS T FROM LIFT_RIDE
              UNION ALL SELECT MAX(PURCHASE_TIME) FROM RESORT_TICKET
              UNION ALL SELECT MAX(PURCHASE_TIME) FROM SEASON_PASS)
            """;

    /**
     * The quickstart's {@code DAILY_VISITS}: one row per visitor per resort per day with the day's first ride
     * and what the visitor paid. Purchases are de-duplicated by RFID before the join, so a repeated RFID cannot
     * multiply visits (a weakness of the quickstart's procedure). A common table expression for the queries
     * below.
     */
    static final String DAILY_VISITS_CTE = """
            FIRST_RIDES AS (
              SELECT RESORT, RFID, LIFT AS FIRST_LIFT, RIDE_TIME AS FIRST_RIDE_TIME, date(RIDE_TIME) AS VISIT_DATE,
                     ACTIVATION_DAY_COUNT AS ACTIVATION_USAGE_COUNT,
                     ROW_NUMBER() OVER (PARTITION BY RESORT, RFID, date(RIDE_TIME) ORDER BY RIDE_TIME, TXID) AS RN
              FROM LIFT_RIDE),
            PASSES AS (
              SELECT RFID, NAME, PRICE_USD,
                     ROW_NUMBER() OVER (PARTITION BY RFID ORDER BY PURCHASE_TIME, TXID) AS RN
              FROM SEASON_PASS),
            TICKETS AS (
              SELECT RFID, NAME, PRICE_USD, DAYS,
                     ROW_NUMBER() OVER (PARTITION BY RFID ORDER BY PURCHASE_TIME, TXID) AS RN
              FROM RESORT_TICKET),
            DAILY_VISITS AS (
              SELECT f.VISIT_DATE, f.RESORT, f.RFID, COALESCE(p.NAME, t.NAME) AS NAME,
                     f.FIRST_RIDE_TIME, f.FIRST_LIFT,
                     p.RFID IS NOT NULL AS HAS_SEASON_PASS,
                     COALESCE(p.PRICE_USD, t.PRICE_USD) AS PURCHASE_PRICE_USD,
                     f.ACTIVATION_USAGE_COUNT, t.DAYS AS TICKET_ORIGINAL_DURATION
              FROM FIRST_RIDES f
              LEFT JOIN PASSES p ON p.RFID = f.RFID AND p.RN = 1
              LEFT JOIN TICKETS t ON t.RFID = f.RFID AND t.RN = 1
              WHERE f.RN = 1)
            """;

    /**
     * Revenue per resort per day, recognised as the quickstart does: a day ticket's price spread over its days
     * (counted on each day it is used), a season pass's price over its first 20 visits. With the visitors who
     * brought it. Columns: {@code RIDE_DATE, RESORT, TICKET_VISITORS, PASS_VISITORS, TICKET_REVENUE_USD,
     * PASS_REVENUE_USD, TOTAL_REVENUE_USD}.
     */
    public static final String DAILY_REVENUE_BY_RESORT = "WITH " + DAILY_VISITS_CTE + """
            SELECT VISIT_DATE AS RIDE_DATE,
                   RESORT,
                   COUNT(DISTINCT CASE WHEN NOT HAS_SEASON_PASS THEN RFID END) AS TICKET_VISITORS,
                   COUNT(DISTINCT CASE WHEN HAS_SEASON_PASS THEN RFID END) AS PASS_VISITORS,
                   ROUND(SUM(CASE WHEN NOT HAS_SEASON_PASS
                                  THEN PURCHASE_PRICE_USD * 1.0 / MAX(COALESCE(TICKET_ORIGINAL_DURATION, 1), 1)
                                  ELSE 0 END), 2) AS TICKET_REVENUE_USD,
                   ROUND(SUM(CASE WHEN HAS_SEASON_PASS AND ACTIVATION_USAGE_COUNT <= 20
                                  THEN PURCHASE_PRICE_USD / 20.0 ELSE 0 END), 2) AS PASS_REVENUE_USD,
                   ROUND(SUM(CASE WHEN NOT HAS_SEASON_PASS
                                  THEN PURCHASE_PRICE_USD * 1.0 / MAX(COALESCE(TICKET_ORIGINAL_DURATION, 1), 1)
                                  WHEN ACTIVATION_USAGE_COUNT <= 20 THEN PURCHASE_PRICE_USD / 20.0
                                  ELSE 0 END), 2) AS TOTAL_REVENUE_USD
            FROM DAILY_VISITS
            GROUP BY VISIT_DATE, RESORT
            ORDER BY VISIT_DATE, RESORT
            """;

    /**
     * Lift rides per hour (UTC) of the latest day with rides, one column per resort: the quickstart's
     * {@code HOURLY_LIFT_ACTIVITY.TOTAL_RIDES}, pivoted. Columns: {@code RIDE_DATE, HOUR_UTC, VAIL,
     * BEAVER_CREEK, BRECKENRIDGE, KEYSTONE, HEAVENLY, TOTAL_RIDES, VISITORS}.
     */
    public static final String HOURLY_RIDES_LATEST_DAY = """
            SELECT date(RIDE_TIME) AS RIDE_DATE,
                   strftime('%H:00', RIDE_TIME) AS HOUR_UTC,
                   SUM(RESORT = 'Vail') AS VAIL,
                   SUM(RESORT = 'Beaver Creek') AS BEAVER_CREEK,
                   SUM(RESORT = 'Breckenridge') AS BRECKENRIDGE,
                   SUM(RESORT = 'Keystone') AS KEYSTONE,
                   SUM(RESORT = 'Heavenly') AS HEAVENLY,
                   COUNT(*) AS TOTAL_RIDES,
                   COUNT(DISTINCT RFID) AS VISITORS
            FROM LIFT_RIDE
            WHERE date(RIDE_TIME) = (SELECT MAX(date(RIDE_TIME)) FROM LIFT_RIDE)
            GROUP BY 1, 2
            ORDER BY 1, 2
            """;

    /**
     * Lift rides and distinct visitors per resort per hour (UTC), every day: the quickstart's
     * {@code HOURLY_LIFT_ACTIVITY}. Columns: {@code RIDE_DATE, RIDE_HOUR, RESORT, TOTAL_RIDES, VISITOR_COUNT}.
     */
    public static final String HOURLY_LIFT_ACTIVITY = """
            SELECT date(RIDE_TIME) AS RIDE_DATE,
                   CAST(strftime('%H', RIDE_TIME) AS INTEGER) AS RIDE_HOUR,
                   RESORT,
                   COUNT(*) AS TOTAL_RIDES,
                   COUNT(DISTINCT RFID) AS VISITOR_COUNT
            FROM LIFT_RIDE
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
            """;

    /**
     * The ten busiest lifts over each resort's last 30 minutes of rides (the quickstart's
     * {@code get_resort_lift_performance}, for all resorts at once). Columns: {@code RESORT, LIFT, RIDES,
     * UNIQUE_VISITORS, RIDES_PER_HOUR}; ties are broken by resort and lift name so the output is stable.
     */
    public static final String BUSIEST_LIFTS_LAST_30_MIN = """
            WITH LAST_RIDE AS (
              SELECT RESORT, MAX(julianday(RIDE_TIME)) AS LAST_DAY FROM LIFT_RIDE GROUP BY RESORT)
            SELECT lr.RESORT,
                   lr.LIFT,
                   COUNT(*) AS RIDES,
                   COUNT(DISTINCT lr.RFID) AS UNIQUE_VISITORS,
                   CASE WHEN MAX(julianday(lr.RIDE_TIME)) > MIN(julianday(lr.RIDE_TIME))
                        THEN ROUND(COUNT(*) / ((MAX(julianday(lr.RIDE_TIME)) - MIN(julianday(lr.RIDE_TIME))) * 24.0), 1)
                   END AS RIDES_PER_HOUR
            FROM LIFT_RIDE lr
            JOIN LAST_RIDE l ON l.RESORT = lr.RESORT
            WHERE julianday(lr.RIDE_TIME) > l.LAST_DAY - 30.0 / 1440
            GROUP BY lr.RESORT, lr.LIFT
            ORDER BY RIDES DESC, lr.RESORT, lr.LIFT
            LIMIT 10
            """;

    /**
     * Day tickets against season passes: units sold and sales revenue, and how much of the lift traffic each
     * brings. Columns: {@code PRODUCT, UNITS_SOLD, SALES_USD, AVG_PRICE_USD, HOLDERS_WHO_RODE, RIDES,
     * RIDE_SHARE_PCT}.
     */
    public static final String TICKET_VS_PASS_MIX = """
            WITH RIDES_BY_PRODUCT AS (
              SELECT CASE WHEN lr.RFID IN (SELECT RFID FROM SEASON_PASS) THEN 'Season pass'
                          WHEN lr.RFID IN (SELECT RFID FROM RESORT_TICKET) THEN 'Day ticket'
                          ELSE 'Not yet landed' END AS PRODUCT,
                     COUNT(*) AS RIDES,
                     COUNT(DISTINCT lr.RFID) AS HOLDERS_WHO_RODE
              FROM LIFT_RIDE lr
              GROUP BY 1),
            SALES AS (
              SELECT 'Day ticket' AS PRODUCT, COUNT(*) AS UNITS_SOLD, SUM(PRICE_USD) AS SALES_USD FROM RESORT_TICKET
              UNION ALL
              SELECT 'Season pass', COUNT(*), SUM(PRICE_USD) FROM SEASON_PASS),
            ALL_RIDES AS (SELECT COUNT(*) AS N FROM LIFT_RIDE)
            SELECT s.PRODUCT,
                   s.UNITS_SOLD,
                   ROUND(COALESCE(s.SALES_USD, 0), 2) AS SALES_USD,
                   ROUND(COALESCE(s.SALES_USD * 1.0 / NULLIF(s.UNITS_SOLD, 0), 0), 2) AS AVG_PRICE_USD,
                   COALESCE(r.HOLDERS_WHO_RODE, 0) AS HOLDERS_WHO_RODE,
                   COALESCE(r.RIDES, 0) AS RIDES,
                   ROUND(COALESCE(r.RIDES, 0) * 100.0 / NULLIF((SELECT N FROM ALL_RIDES), 0), 1) AS RIDE_SHARE_PCT
            FROM SALES s
            LEFT JOIN RIDES_BY_PRODUCT r ON r.PRODUCT = s.PRODUCT
            ORDER BY s.PRODUCT
            """;

    /** The report sections in the order the report prints them: title and query. */
    public static final List<Section> SECTIONS = List.of(
            new Section("dailyRevenue",
                    "Revenue per resort per day (tickets spread over their days, passes over 20 visits)",
                    DAILY_REVENUE_BY_RESORT),
            new Section("hourlyRides", "Lift rides per hour (UTC) on the latest day, per resort",
                    HOURLY_RIDES_LATEST_DAY),
            new Section("busiestLifts", "Busiest lifts, last 30 minutes of rides", BUSIEST_LIFTS_LAST_30_MIN),
            new Section("ticketVsPass", "Day tickets vs season passes", TICKET_VS_PASS_MIX));

    /**
     * One titled query of the report.
     *
     * @param id    a stable name for programs (the dashboard's JSON keys), e.g. {@code dailyRevenue}
     * @param title what the rows show
     * @param sql   the query, SQLite dialect
     */
    public record Section(String id, String title, String sql) {
    }
}
