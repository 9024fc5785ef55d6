-- =====================================================================================================
-- snowpipe-relay: Snowflake setup for the ski-resort example
--
-- What this creates (the same objects as the Snowflake "Build a Streaming Data Pipeline in Python"
-- quickstart, Summit 2025 lab DE214):
--   * warehouse, role, service user STREAMING_INGEST (key-pair auth) and the grants the relay needs
--   * database STREAMING_INGEST, schema STREAMING_INGEST.STREAMING_INGEST
--   * the three landing tables RESORT_TICKET, SEASON_PASS, LIFT_RIDE
--   * the three streaming pipes RESORT_TICKET_PIPE, SEASON_PASS_PIPE, LIFT_RIDE_PIPE
--   * the reporting layer as dynamic tables and views (revenue, visitors, busiest lifts)
--
-- How to run it on Snowflake: paste the whole file into a Snowsight worksheet (or snowsql -f) as a
-- user who can use ACCOUNTADMIN, after replacing the RSA_PUBLIC_KEY placeholder below with your public
-- key (docs/getting-started.md shows how to make one). It is safe to run again: objects are created
-- with IF NOT EXISTS or OR REPLACE (OR REPLACE on the tables empties them).
--
-- The same file, unchanged, is what the testkit emulator loads (`ski-resort.jar emulator`, and the
-- demo). The emulator understands CREATE DATABASE/SCHEMA/TABLE/PIPE, USE and CREATE/ALTER USER ...
-- RSA_PUBLIC_KEY, and skips every other statement (warehouses, roles, grants, dynamic tables, views).
-- Keep it that way: no semicolon inside a comment or a string literal, one statement per semicolon.
--
-- Cleanup, when you are done:
--   USE ROLE STREAMING_INGEST   then   DROP DATABASE IF EXISTS STREAMING_INGEST
--   USE ROLE ACCOUNTADMIN       then   DROP WAREHOUSE / USER / ROLE STREAMING_INGEST
-- =====================================================================================================

-- -----------------------------------------------------------------------------------------------------
-- 1. Warehouse, role and the service user the relay signs in as (ACCOUNTADMIN)
-- -----------------------------------------------------------------------------------------------------
USE ROLE ACCOUNTADMIN;

-- The warehouse only runs the dynamic tables below: Snowpipe Streaming itself needs none.
CREATE WAREHOUSE IF NOT EXISTS STREAMING_INGEST
  WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE;

CREATE ROLE IF NOT EXISTS STREAMING_INGEST;
GRANT USAGE ON WAREHOUSE STREAMING_INGEST TO ROLE STREAMING_INGEST;
GRANT OPERATE ON WAREHOUSE STREAMING_INGEST TO ROLE STREAMING_INGEST;

-- TYPE = SERVICE: no password, key-pair only. Replace the placeholder with the body of rsa_key.pub
-- (the text between the BEGIN and END lines, newlines removed).
CREATE USER IF NOT EXISTS STREAMING_INGEST
  LOGIN_NAME = 'STREAMING_INGEST'
  TYPE = SERVICE
  DEFAULT_WAREHOUSE = 'STREAMING_INGEST'
  DEFAULT_NAMESPACE = 'STREAMING_INGEST.STREAMING_INGEST'
  DEFAULT_ROLE = 'STREAMING_INGEST';
-- A separate ALTER so that re-running the file after a key rotation updates the key of an existing user.
ALTER USER STREAMING_INGEST SET RSA_PUBLIC_KEY = 'PASTE_YOUR_PUBLIC_KEY_HERE';

GRANT ROLE STREAMING_INGEST TO USER STREAMING_INGEST;
-- Lets you (the human running this worksheet) switch to the role for section 3 and for querying.
SET MY_USER = CURRENT_USER();
GRANT ROLE STREAMING_INGEST TO USER IDENTIFIER($MY_USER);

-- -----------------------------------------------------------------------------------------------------
-- 2. Database and schema, owned by the role (ACCOUNTADMIN)
-- -----------------------------------------------------------------------------------------------------
CREATE DATABASE IF NOT EXISTS STREAMING_INGEST;
CREATE SCHEMA IF NOT EXISTS STREAMING_INGEST.STREAMING_INGEST;
GRANT OWNERSHIP ON SCHEMA STREAMING_INGEST.STREAMING_INGEST TO ROLE STREAMING_INGEST COPY CURRENT GRANTS;
GRANT OWNERSHIP ON DATABASE STREAMING_INGEST TO ROLE STREAMING_INGEST COPY CURRENT GRANTS;

-- -----------------------------------------------------------------------------------------------------
-- 3. Landing tables and their streaming pipes (as the role)
--
-- Column names and types are the quickstart. Each pipe maps the keys of every JSON row to the
-- columns with the same (upper-case) name: MATCH_BY_COLUMN_NAME = CASE_SENSITIVE, no transformation.
-- The generator writes exactly these keys. A key with no column is dropped, a missing key is NULL.
-- -----------------------------------------------------------------------------------------------------
USE ROLE STREAMING_INGEST;
USE DATABASE STREAMING_INGEST;
USE SCHEMA STREAMING_INGEST;

CREATE OR REPLACE TABLE RESORT_TICKET (
  TXID              VARCHAR(255),
  RFID              VARCHAR(255),
  RESORT            VARCHAR(255),
  PURCHASE_TIME     DATETIME,
  PRICE_USD         DECIMAL(7,2),
  EXPIRATION_TIME   DATE,
  DAYS              NUMBER,
  NAME              VARCHAR(255),
  ADDRESS           VARIANT,
  PHONE             VARCHAR(255),
  EMAIL             VARCHAR(255),
  EMERGENCY_CONTACT VARIANT
);

CREATE OR REPLACE PIPE RESORT_TICKET_PIPE AS
  COPY INTO RESORT_TICKET
  FROM TABLE (DATA_SOURCE (TYPE => 'STREAMING'))
  MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;

CREATE OR REPLACE TABLE SEASON_PASS (
  TXID              VARCHAR(255),
  RFID              VARCHAR(255),
  PURCHASE_TIME     DATETIME,
  PRICE_USD         DECIMAL(7,2),
  EXPIRATION_TIME   DATE,
  NAME              VARCHAR(255),
  ADDRESS           VARIANT,
  PHONE             VARCHAR(255),
  EMAIL             VARCHAR(255),
  EMERGENCY_CONTACT VARIANT
);

CREATE OR REPLACE PIPE SEASON_PASS_PIPE AS
  COPY INTO SEASON_PASS
  FROM TABLE (DATA_SOURCE (TYPE => 'STREAMING'))
  MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;

CREATE OR REPLACE TABLE LIFT_RIDE (
  TXID                 VARCHAR(255),
  RFID                 VARCHAR(255),
  RESORT               VARCHAR(255),
  LIFT                 VARCHAR(255),
  RIDE_TIME            DATETIME,
  ACTIVATION_DAY_COUNT INTEGER
);

CREATE OR REPLACE PIPE LIFT_RIDE_PIPE AS
  COPY INTO LIFT_RIDE
  FROM TABLE (DATA_SOURCE (TYPE => 'STREAMING'))
  MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;

-- -----------------------------------------------------------------------------------------------------
-- 4. Reporting layer: the quickstart notebook, in plain SQL
--
-- The quickstart fills DAILY_VISITS with a stream, a triggered task and a Snowpark procedure. Here it
-- is a dynamic table too, which fixes two of its weaknesses: a purchase row that lands after the ride
-- (it travels on another channel) is picked up at the next refresh instead of being stored for good as
-- "no pass, no price", and a ride that lands late can still become the first ride of its day. Purchases are
-- de-duplicated by RFID before the join, so a repeated RFID cannot multiply visits.
--
-- REFRESH_MODE = AUTO rather than the quickstart INCREMENTAL: Snowflake picks incremental refresh
-- wherever the query allows it, and an INCREMENTAL table may not sit downstream of one that can only
-- refresh fully. Dates and hours are UTC, as in the quickstart. Resorts open 08:00 to 16:00 local
-- time (Mountain and Pacific), so the UTC date of a ride is also its local date.
--
-- The report of `ski-resort.jar report` and of the demo computes the same figures from the emulator
-- store (io.snowpiperelay.examples.report.ReportQueries). Against Snowflake, query these objects instead.
-- -----------------------------------------------------------------------------------------------------

-- Capacity and time zone per resort (the quickstart values). Used by the summaries below.
CREATE OR REPLACE TABLE RESORT_CAPACITY (
  RESORT          VARCHAR(100),
  MAX_CAPACITY    INTEGER,
  HOURLY_CAPACITY INTEGER,
  BASE_LIFT_COUNT INTEGER,
  IANA_TIMEZONE   VARCHAR(50)
);

INSERT INTO RESORT_CAPACITY (RESORT, MAX_CAPACITY, HOURLY_CAPACITY, BASE_LIFT_COUNT, IANA_TIMEZONE) VALUES
  ('Vail',         7000, 1100, 34, 'America/Denver'),
  ('Beaver Creek', 5500,  900, 25, 'America/Denver'),
  ('Breckenridge', 6500, 1000, 35, 'America/Denver'),
  ('Keystone',     4500,  700, 21, 'America/Denver'),
  ('Heavenly',     5000,  800, 27, 'America/Los_Angeles');

-- One row per visitor per resort per day: the first ride of the day and what the visitor paid.
CREATE OR REPLACE DYNAMIC TABLE DAILY_VISITS
  TARGET_LAG = DOWNSTREAM
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
WITH FIRST_RIDES AS (
  SELECT RESORT, RFID, LIFT AS FIRST_LIFT, RIDE_TIME AS FIRST_RIDE_TIME,
         TO_DATE(RIDE_TIME) AS VISIT_DATE, ACTIVATION_DAY_COUNT AS ACTIVATION_USAGE_COUNT
  FROM LIFT_RIDE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY RESORT, RFID, TO_DATE(RIDE_TIME) ORDER BY RIDE_TIME, TXID) = 1
),
PASSES AS (
  SELECT RFID, NAME, PRICE_USD FROM SEASON_PASS
  QUALIFY ROW_NUMBER() OVER (PARTITION BY RFID ORDER BY PURCHASE_TIME, TXID) = 1
),
TICKETS AS (
  SELECT RFID, NAME, PRICE_USD, DAYS FROM RESORT_TICKET
  QUALIFY ROW_NUMBER() OVER (PARTITION BY RFID ORDER BY PURCHASE_TIME, TXID) = 1
)
SELECT f.VISIT_DATE,
       f.RESORT,
       f.RFID,
       COALESCE(p.NAME, t.NAME)                          AS NAME,
       f.FIRST_RIDE_TIME,
       f.FIRST_LIFT,
       p.RFID IS NOT NULL                                AS HAS_SEASON_PASS,
       COALESCE(p.PRICE_USD, t.PRICE_USD)::DECIMAL(7,2)  AS PURCHASE_PRICE_USD,
       f.ACTIVATION_USAGE_COUNT,
       t.DAYS                                            AS TICKET_ORIGINAL_DURATION
FROM FIRST_RIDES f
LEFT JOIN PASSES  p ON p.RFID = f.RFID
LEFT JOIN TICKETS t ON t.RFID = f.RFID;

-- Rides and distinct visitors per resort per hour.
CREATE OR REPLACE DYNAMIC TABLE HOURLY_LIFT_ACTIVITY
  TARGET_LAG = DOWNSTREAM
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT TO_DATE(lr.RIDE_TIME)                                               AS RIDE_DATE,
       HOUR(lr.RIDE_TIME)                                                  AS RIDE_HOUR,
       DATE_TRUNC('hour', lr.RIDE_TIME)                                    AS RIDE_HOUR_TIMESTAMP,
       lr.RESORT,
       COUNT(*)                                                            AS TOTAL_RIDES,
       COUNT(DISTINCT lr.RFID)                                             AS VISITOR_COUNT,
       COUNT(DISTINCT CASE WHEN dv.HAS_SEASON_PASS THEN lr.RFID END)       AS ACTIVE_PASSES,
       COUNT(CASE WHEN dv.HAS_SEASON_PASS THEN 1 END)                      AS PASS_RIDES
FROM LIFT_RIDE lr
LEFT JOIN DAILY_VISITS dv
  ON lr.RFID = dv.RFID AND TO_DATE(lr.RIDE_TIME) = dv.VISIT_DATE AND lr.RESORT = dv.RESORT
GROUP BY 1, 2, 3, 4;

-- Revenue recognised when it is used: a ticket price spread over its days, a pass price over
-- 20 visits (the revenue of a visit lands in the hour of the first ride that day).
CREATE OR REPLACE DYNAMIC TABLE HOURLY_AMORTIZED_REVENUE
  TARGET_LAG = DOWNSTREAM
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT dv.VISIT_DATE                                                       AS RIDE_DATE,
       HOUR(dv.FIRST_RIDE_TIME)                                            AS RIDE_HOUR,
       DATE_TRUNC('hour', dv.FIRST_RIDE_TIME)                              AS RIDE_HOUR_TIMESTAMP,
       dv.RESORT,
       SUM(CASE WHEN NOT dv.HAS_SEASON_PASS
                THEN dv.PURCHASE_PRICE_USD / GREATEST(dv.TICKET_ORIGINAL_DURATION, 1)
                ELSE 0 END)                                                AS RECOGNIZED_TICKET_REVENUE,
       COUNT(DISTINCT CASE WHEN NOT dv.HAS_SEASON_PASS THEN dv.RFID END)   AS TICKET_ACTIVATIONS,
       SUM(CASE WHEN dv.HAS_SEASON_PASS AND dv.ACTIVATION_USAGE_COUNT <= 20
                THEN dv.PURCHASE_PRICE_USD / 20
                ELSE 0 END)                                                AS RECOGNIZED_PASS_REVENUE,
       COUNT(DISTINCT CASE WHEN dv.HAS_SEASON_PASS THEN dv.RFID END)       AS PASS_ACTIVATIONS
FROM DAILY_VISITS dv
GROUP BY 1, 2, 3, 4;

CREATE OR REPLACE DYNAMIC TABLE HOURLY_RESORT_SUMMARY
  TARGET_LAG = '1 minute'
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT a.RIDE_DATE,
       a.RIDE_HOUR,
       a.RIDE_HOUR_TIMESTAMP,
       a.RESORT,
       a.VISITOR_COUNT,
       a.TOTAL_RIDES,
       COALESCE(r.TICKET_ACTIVATIONS, 0)                                   AS TICKET_ACTIVATIONS,
       COALESCE(r.PASS_ACTIVATIONS, 0)                                     AS PASS_ACTIVATIONS,
       a.ACTIVE_PASSES,
       a.PASS_RIDES,
       a.VISITOR_COUNT - a.ACTIVE_PASSES                                   AS ACTIVE_TICKETS,
       a.TOTAL_RIDES - a.PASS_RIDES                                        AS TICKET_RIDES,
       COALESCE(r.RECOGNIZED_TICKET_REVENUE, 0)                            AS RECOGNIZED_TICKET_REVENUE,
       COALESCE(r.RECOGNIZED_PASS_REVENUE, 0)                              AS RECOGNIZED_PASS_REVENUE,
       COALESCE(r.RECOGNIZED_TICKET_REVENUE, 0)
         + COALESCE(r.RECOGNIZED_PASS_REVENUE, 0)                          AS TOTAL_RECOGNIZED_REVENUE,
       ROUND(a.VISITOR_COUNT / rc.MAX_CAPACITY * 100, 1)                   AS CAPACITY_PCT,
       CASE WHEN a.VISITOR_COUNT / rc.MAX_CAPACITY * 100 > 90 THEN 'HIGH'
            WHEN a.VISITOR_COUNT / rc.MAX_CAPACITY * 100 > 70 THEN 'MODERATE'
            ELSE 'NORMAL' END                                              AS CAPACITY_STATUS
FROM HOURLY_LIFT_ACTIVITY a
LEFT JOIN HOURLY_AMORTIZED_REVENUE r
  ON a.RIDE_DATE = r.RIDE_DATE AND a.RIDE_HOUR = r.RIDE_HOUR AND a.RESORT = r.RESORT
JOIN RESORT_CAPACITY rc ON a.RESORT = rc.RESORT;

CREATE OR REPLACE DYNAMIC TABLE DAILY_RESORT_SUMMARY
  TARGET_LAG = '1 minute'
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT RIDE_DATE,
       RESORT,
       MAX(VISITOR_COUNT)                                                  AS PEAK_HOURLY_VISITORS,
       SUM(VISITOR_COUNT)                                                  AS TOTAL_VISITOR_HOURS,
       SUM(TOTAL_RIDES)                                                    AS TOTAL_RIDES,
       SUM(RECOGNIZED_TICKET_REVENUE)                                      AS TOTAL_TICKET_REVENUE,
       SUM(RECOGNIZED_PASS_REVENUE)                                        AS TOTAL_PASS_REVENUE,
       SUM(TOTAL_RECOGNIZED_REVENUE)                                       AS TOTAL_REVENUE,
       SUM(TICKET_ACTIVATIONS)                                             AS TOTAL_TICKET_ACTIVATIONS,
       SUM(PASS_ACTIVATIONS)                                               AS TOTAL_PASS_ACTIVATIONS,
       SUM(PASS_RIDES)                                                     AS TOTAL_PASS_RIDES,
       SUM(TICKET_RIDES)                                                   AS TOTAL_TICKET_RIDES,
       ROUND(AVG(CAPACITY_PCT), 1)                                         AS AVG_CAPACITY_PCT,
       MAX(CAPACITY_PCT)                                                   AS PEAK_CAPACITY_PCT,
       COUNT(*)                                                            AS OPERATION_HOURS,
       SUM(TICKET_ACTIVATIONS) + SUM(PASS_ACTIVATIONS)                     AS TOTAL_VISITORS
FROM HOURLY_RESORT_SUMMARY
GROUP BY RIDE_DATE, RESORT;

CREATE OR REPLACE DYNAMIC TABLE WEEKLY_RESORT_SUMMARY
  TARGET_LAG = '1 minute'
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT DATE_TRUNC('week', RIDE_DATE)                                       AS WEEK_START_DATE,
       RESORT,
       MAX(TOTAL_VISITORS)                                                 AS MAX_DAILY_UNIQUE_VISITORS,
       ROUND(AVG(TOTAL_VISITORS), 0)                                       AS AVG_DAILY_UNIQUE_VISITORS,
       SUM(TOTAL_VISITORS)                                                 AS WEEK_TOTAL_VISITORS,
       SUM(TOTAL_RIDES)                                                    AS WEEK_TOTAL_RIDES,
       SUM(TOTAL_PASS_RIDES)                                               AS WEEK_TOTAL_PASS_RIDES,
       SUM(TOTAL_TICKET_RIDES)                                             AS WEEK_TOTAL_TICKET_RIDES,
       SUM(TOTAL_TICKET_REVENUE)                                           AS WEEK_TOTAL_TICKET_REVENUE,
       SUM(TOTAL_PASS_REVENUE)                                             AS WEEK_TOTAL_PASS_REVENUE,
       SUM(TOTAL_REVENUE)                                                  AS WEEK_TOTAL_REVENUE,
       ROUND(AVG(TOTAL_REVENUE), 0)                                        AS AVG_DAILY_REVENUE,
       SUM(TOTAL_TICKET_ACTIVATIONS)                                       AS WEEK_TOTAL_TICKET_ACTIVATIONS,
       SUM(TOTAL_PASS_ACTIVATIONS)                                         AS WEEK_TOTAL_PASS_ACTIVATIONS,
       ROUND(AVG(AVG_CAPACITY_PCT), 1)                                     AS AVG_WEEK_CAPACITY_PCT,
       MAX(PEAK_CAPACITY_PCT)                                              AS WEEK_PEAK_CAPACITY_PCT,
       COUNT(DISTINCT RIDE_DATE)                                           AS OPERATION_DAYS
FROM DAILY_RESORT_SUMMARY
GROUP BY 1, 2;

-- Sales revenue per resort and day (money taken at purchase, by UTC date). Season passes are sold
-- network-wide, so they form their own row with RESORT = (season passes).
CREATE OR REPLACE DYNAMIC TABLE DAILY_SALES
  TARGET_LAG = '1 minute'
  WAREHOUSE = STREAMING_INGEST
  REFRESH_MODE = AUTO
AS
SELECT TO_DATE(PURCHASE_TIME) AS SALE_DATE, RESORT, 'TICKET' AS PRODUCT,
       COUNT(*) AS UNITS_SOLD, SUM(PRICE_USD) AS REVENUE_USD
FROM RESORT_TICKET
GROUP BY 1, 2
UNION ALL
SELECT TO_DATE(PURCHASE_TIME), '(season passes)', 'SEASON_PASS',
       COUNT(*), SUM(PRICE_USD)
FROM SEASON_PASS
GROUP BY 1;

-- Daily recognised revenue against a target of 70 % of capacity at 100 USD a head.
CREATE OR REPLACE VIEW V_DAILY_REVENUE_PERFORMANCE AS
SELECT d.RIDE_DATE,
       d.RESORT,
       d.TOTAL_REVENUE,
       t.REVENUE_TARGET_USD,
       CASE WHEN t.REVENUE_TARGET_USD > 0
            THEN ROUND(d.TOTAL_REVENUE / t.REVENUE_TARGET_USD * 100, 1) END AS REVENUE_TARGET_PCT,
       CASE WHEN d.TOTAL_REVENUE >= t.REVENUE_TARGET_USD THEN 'ABOVE_TARGET'
            WHEN d.TOTAL_REVENUE >= t.REVENUE_TARGET_USD * 0.9 THEN 'NEAR_TARGET'
            ELSE 'BELOW_TARGET' END                                         AS PERFORMANCE_STATUS
FROM DAILY_RESORT_SUMMARY d
JOIN (SELECT RESORT, MAX_CAPACITY * 0.7 * 100 AS REVENUE_TARGET_USD FROM RESORT_CAPACITY) t
  ON d.RESORT = t.RESORT;

CREATE OR REPLACE VIEW V_DAILY_NETWORK_METRICS AS
SELECT RIDE_DATE,
       SUM(TOTAL_VISITORS)             AS TOTAL_NETWORK_VISITORS,
       SUM(TOTAL_REVENUE)              AS TOTAL_NETWORK_REVENUE,
       ROUND(AVG(AVG_CAPACITY_PCT), 1) AS AVG_NETWORK_CAPACITY_PCT,
       SUM(TOTAL_RIDES)                AS TOTAL_NETWORK_RIDES,
       COUNT(DISTINCT RESORT)          AS ACTIVE_RESORTS
FROM DAILY_RESORT_SUMMARY
GROUP BY RIDE_DATE;

-- Busiest lifts over the last 30 minutes of data per resort (the quickstart lift-performance
-- procedure, as a view). "Now" is taken from the data, as the quickstart dashboard does.
CREATE OR REPLACE VIEW V_LIFT_PERFORMANCE_30MIN AS
WITH LAST_RIDE AS (
  SELECT RESORT, MAX(RIDE_TIME) AS LAST_RIDE_TIME FROM LIFT_RIDE GROUP BY RESORT
),
RECENT AS (
  SELECT lr.RESORT, lr.LIFT,
         COUNT(*)                AS RIDES,
         COUNT(DISTINCT lr.RFID) AS UNIQUE_VISITORS,
         MIN(lr.RIDE_TIME)       AS FIRST_ACTIVITY_TIME,
         MAX(lr.RIDE_TIME)       AS LAST_ACTIVITY_TIME
  FROM LIFT_RIDE lr
  JOIN LAST_RIDE l ON lr.RESORT = l.RESORT
  WHERE lr.RIDE_TIME > DATEADD(minute, -30, l.LAST_RIDE_TIME)
  GROUP BY lr.RESORT, lr.LIFT
)
SELECT RESORT, LIFT, RIDES, UNIQUE_VISITORS, FIRST_ACTIVITY_TIME, LAST_ACTIVITY_TIME,
       ROW_NUMBER() OVER (PARTITION BY RESORT ORDER BY RIDES DESC, LIFT) AS USAGE_RANK_IN_RESORT,
       ROW_NUMBER() OVER (ORDER BY RIDES DESC, RESORT, LIFT)             AS OVERALL_USAGE_RANK,
       CASE WHEN DATEDIFF(second, FIRST_ACTIVITY_TIME, LAST_ACTIVITY_TIME) > 0
            THEN ROUND(RIDES / (DATEDIFF(second, FIRST_ACTIVITY_TIME, LAST_ACTIVITY_TIME) / 3600.0), 1)
       END                                                               AS RIDES_PER_HOUR
FROM RECENT;

-- What to look at once the demo has run against your account (as role STREAMING_INGEST):
--   SELECT COUNT(*) FROM RESORT_TICKET      (and SEASON_PASS, LIFT_RIDE)
--   SELECT * FROM DAILY_RESORT_SUMMARY ORDER BY RIDE_DATE, RESORT
--   SELECT * FROM DAILY_SALES ORDER BY SALE_DATE, RESORT
--   SELECT * FROM V_LIFT_PERFORMANCE_30MIN WHERE USAGE_RANK_IN_RESORT <= 5 ORDER BY RESORT, USAGE_RANK_IN_RESORT
--   ALTER DYNAMIC TABLE DAILY_RESORT_SUMMARY REFRESH    (to refresh now instead of within the lag)
