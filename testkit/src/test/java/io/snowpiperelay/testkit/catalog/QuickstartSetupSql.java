package io.snowpiperelay.testkit.catalog;

/**
 * The setup SQL of Snowflake's "Build a Streaming Data Pipeline in Python" quickstart (Summit 2025 lab
 * DE214), reconstructed from {@code quickstart-reference.md} §2 (account objects, key pair, tables and pipes)
 * and §5 (the notebook's objects), in the quickstart's own style: lower-case types, {@code CREATE OR REPLACE},
 * pipes with {@code MATCH_BY_COLUMN_NAME=CASE_SENSITIVE}, a Python procedure in {@code $$}, dynamic tables,
 * a stream, a task, GRANTs and session variables. The emulator must load it unchanged.
 */
final class QuickstartSetupSql {
    private QuickstartSetupSql() {
    }

    static final String PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo"
            + "4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkP"
            + "LPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V"
            + "264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlb"
            + "jXfbcmwIDAQAB";

    static final String SETUP = """
            -- ============================================================
            -- Summit 2025 DE214: Build a streaming data pipeline in Python
            -- ============================================================
            USE ROLE ACCOUNTADMIN;

            /* Warehouse and role */
            CREATE OR REPLACE WAREHOUSE STREAMING_INGEST;
            CREATE OR REPLACE ROLE STREAMING_INGEST;
            GRANT USAGE ON WAREHOUSE STREAMING_INGEST TO ROLE STREAMING_INGEST;
            GRANT OPERATE ON WAREHOUSE STREAMING_INGEST TO ROLE STREAMING_INGEST;
            GRANT EXECUTE TASK ON ACCOUNT TO ROLE STREAMING_INGEST;

            // the service user the streamer signs in as (key-pair auth)
            CREATE OR REPLACE USER STREAMING_INGEST
              LOGIN_NAME='STREAMING_INGEST'
              DEFAULT_WAREHOUSE='STREAMING_INGEST'
              DEFAULT_NAMESPACE='STREAMING_INGEST.STREAMING_INGEST'
              DEFAULT_ROLE='STREAMING_INGEST'
              TYPE=SERVICE
              RSA_PUBLIC_KEY='%1$s';
            GRANT ROLE STREAMING_INGEST TO USER STREAMING_INGEST;
            SET USERNAME=CURRENT_USER();
            GRANT ROLE STREAMING_INGEST TO USER IDENTIFIER($USERNAME);

            -- database and schema
            CREATE OR REPLACE DATABASE STREAMING_INGEST USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS=10;
            GRANT OWNERSHIP ON DATABASE STREAMING_INGEST TO ROLE STREAMING_INGEST;
            CREATE OR REPLACE SCHEMA STREAMING_INGEST.STREAMING_INGEST;
            GRANT OWNERSHIP ON SCHEMA STREAMING_INGEST.STREAMING_INGEST TO ROLE STREAMING_INGEST;

            -- the repo README sets the key afterwards instead
            ALTER USER STREAMING_INGEST SET RSA_PUBLIC_KEY='%1$s';

            USE ROLE STREAMING_INGEST;
            USE DATABASE STREAMING_INGEST;
            USE SCHEMA STREAMING_INGEST;

            CREATE OR REPLACE TABLE RESORT_TICKET (TXID varchar(255), RFID varchar(255), RESORT varchar(255),
                PURCHASE_TIME datetime, PRICE_USD DECIMAL(7,2), EXPIRATION_TIME date, DAYS number, NAME varchar(255),
                ADDRESS variant, PHONE varchar(255), EMAIL varchar(255), EMERGENCY_CONTACT variant);

            CREATE OR REPLACE PIPE RESORT_TICKET_PIPE AS
              COPY INTO RESORT_TICKET
              FROM TABLE ( DATA_SOURCE ( TYPE => 'STREAMING' ) )
              MATCH_BY_COLUMN_NAME=CASE_SENSITIVE;

            CREATE OR REPLACE TABLE SEASON_PASS (TXID varchar(255), RFID varchar(255), PURCHASE_TIME datetime,
                PRICE_USD DECIMAL(7,2), EXPIRATION_TIME date, NAME varchar(255), ADDRESS variant, PHONE varchar(255),
                EMAIL varchar(255), EMERGENCY_CONTACT variant);

            CREATE OR REPLACE PIPE SEASON_PASS_PIPE AS
              COPY INTO SEASON_PASS
              FROM TABLE ( DATA_SOURCE ( TYPE => 'STREAMING' ) )
              MATCH_BY_COLUMN_NAME=CASE_SENSITIVE;

            CREATE OR REPLACE TABLE LIFT_RIDE (TXID varchar(255), RFID varchar(255), RESORT varchar(255),
                LIFT varchar(255), RIDE_TIME datetime, ACTIVATION_DAY_COUNT integer);

            CREATE OR REPLACE PIPE LIFT_RIDE_PIPE AS
              COPY INTO LIFT_RIDE
              FROM TABLE ( DATA_SOURCE ( TYPE => 'STREAMING' ) )
              MATCH_BY_COLUMN_NAME=CASE_SENSITIVE;

            -- ---------------- notebook ----------------
            CREATE OR REPLACE STREAM LIFT_RIDE_STREAM ON TABLE LIFT_RIDE APPEND_ONLY = TRUE SHOW_INITIAL_ROWS = TRUE;

            CREATE OR REPLACE TABLE RESORT_CAPACITY (
                RESORT VARCHAR(100) PRIMARY KEY,
                MAX_CAPACITY INTEGER,
                HOURLY_CAPACITY INTEGER,
                BASE_LIFT_COUNT INTEGER,
                IANA_TIMEZONE VARCHAR(50)
            );
            INSERT INTO RESORT_CAPACITY VALUES
                ('Vail', 7000, 1100, 34, 'America/Denver'), ('Beaver Creek', 5500, 900, 25, 'America/Denver'),
                ('Breckenridge', 6500, 1000, 35, 'America/Denver'), ('Keystone', 4500, 700, 21, 'America/Denver'),
                ('Heavenly', 5000, 800, 27, 'America/Los_Angeles');

            CREATE OR REPLACE TABLE DAILY_VISITS (
                VISIT_DATE DATE, RESORT STRING, RFID STRING, NAME STRING, FIRST_RIDE_TIME DATETIME, FIRST_LIFT STRING,
                HAS_SEASON_PASS BOOLEAN, PURCHASE_PRICE_USD DECIMAL(7,2), ACTIVATION_USAGE_COUNT INTEGER,
                TICKET_ORIGINAL_DURATION INTEGER);

            CREATE STAGE IF NOT EXISTS snowpark_apps;

            CREATE OR REPLACE PROCEDURE populate_daily_visits()
              RETURNS STRING
              LANGUAGE PYTHON
              RUNTIME_VERSION = '3.11'
              PACKAGES = ('snowflake-snowpark-python')
              HANDLER = 'run'
            AS $$
            def run(session):
                # a ';' and a quote ' inside the body must not split or break the script
                try:
                    session.sql("INSERT INTO DAILY_VISITS SELECT 1; -- not a statement").collect()
                    return "OK"
                except Exception as e:
                    return f"ERROR: {e}"
            $$;

            CREATE OR REPLACE TASK populate_daily_visits
              WAREHOUSE = STREAMING_INGEST
              WHEN SYSTEM$STREAM_HAS_DATA('lift_ride_stream')
              AS CALL populate_daily_visits();
            ALTER TASK populate_daily_visits RESUME;

            CREATE OR REPLACE DYNAMIC TABLE HOURLY_LIFT_ACTIVITY
              TARGET_LAG = 'downstream' WAREHOUSE = STREAMING_INGEST REFRESH_MODE = INCREMENTAL
            AS
            SELECT DATE(lr.RIDE_TIME) AS RIDE_DATE, HOUR(lr.RIDE_TIME) AS RIDE_HOUR,
                   DATE_TRUNC('hour', lr.RIDE_TIME) AS RIDE_HOUR_TIMESTAMP, lr.RESORT,
                   COUNT(*) AS TOTAL_RIDES, COUNT(DISTINCT lr.RFID) AS VISITOR_COUNT,
                   COUNT(DISTINCT CASE WHEN dv.HAS_SEASON_PASS = TRUE THEN lr.RFID END) AS ACTIVE_PASSES,
                   COUNT(CASE WHEN dv.HAS_SEASON_PASS = TRUE THEN 1 END) AS PASS_RIDES
            FROM LIFT_RIDE lr LEFT JOIN DAILY_VISITS dv
              ON lr.RFID = dv.RFID AND DATE(lr.RIDE_TIME) = dv.VISIT_DATE AND lr.RESORT = dv.RESORT
            GROUP BY 1, 2, 3, 4;

            CREATE OR REPLACE VIEW V_DAILY_NETWORK_METRICS AS
            SELECT RIDE_DATE, SUM(TOTAL_VISITORS) AS TOTAL_NETWORK_VISITORS FROM DAILY_RESORT_SUMMARY GROUP BY RIDE_DATE;

            SHOW DYNAMIC TABLES;
            SELECT * FROM TABLE(INFORMATION_SCHEMA.DYNAMIC_TABLE_REFRESH_HISTORY(
                NAME_PREFIX => 'STREAMING_INGEST.STREAMING_INGEST.')) ORDER BY REFRESH_START_TIME DESC;
            """.formatted(PUBLIC_KEY);
}
