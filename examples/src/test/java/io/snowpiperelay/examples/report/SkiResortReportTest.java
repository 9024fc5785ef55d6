package io.snowpiperelay.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.examples.generator.GeneratedEvent;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the report's SQL on an SQLite database laid out like the emulator's store (same table and column
 * names; timestamps as text, decimals as numbers, VARIANT as JSON text), filled from the generator.
 */
class SkiResortReportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private Connection connection;

    @BeforeEach
    void createStore() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE RESORT_TICKET (TXID TEXT, RFID TEXT, RESORT TEXT, PURCHASE_TIME TEXT,"
                    + " PRICE_USD NUMERIC, EXPIRATION_TIME TEXT, DAYS INTEGER, NAME TEXT, ADDRESS TEXT, PHONE TEXT,"
                    + " EMAIL TEXT, EMERGENCY_CONTACT TEXT)");
            st.execute("CREATE TABLE SEASON_PASS (TXID TEXT, RFID TEXT, PURCHASE_TIME TEXT, PRICE_USD NUMERIC,"
                    + " EXPIRATION_TIME TEXT, NAME TEXT, ADDRESS TEXT, PHONE TEXT, EMAIL TEXT, EMERGENCY_CONTACT TEXT)");
            st.execute("CREATE TABLE LIFT_RIDE (TXID TEXT, RFID TEXT, RESORT TEXT, LIFT TEXT, RIDE_TIME TEXT,"
                    + " ACTIVATION_DAY_COUNT INTEGER)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private Map<SkiTable, Long> load(long seed, int events) throws Exception {
        Map<SkiTable, Long> counts = new EnumMap<>(SkiTable.class);
        SkiResortGenerator generator = new SkiResortGenerator(seed);
        Map<SkiTable, PreparedStatement> inserts = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            String marks = String.join(",", java.util.Collections.nCopies(table.columns().size(), "?"));
            inserts.put(table, connection.prepareStatement("INSERT INTO " + table.tableName() + " ("
                    + String.join(",", table.columns()) + ") VALUES (" + marks + ")"));
            counts.put(table, 0L);
        }
        connection.setAutoCommit(false);
        for (int i = 0; i < events; i++) {
            GeneratedEvent event = generator.next();
            JsonNode row = MAPPER.readTree(event.json());
            PreparedStatement insert = inserts.get(event.table());
            int index = 1;
            for (String column : event.table().columns()) {
                JsonNode value = row.get(column);
                if (value.isNull()) {
                    insert.setObject(index++, null);
                } else if (value.isObject()) {
                    insert.setString(index++, value.toString());
                } else if (value.isNumber()) {
                    insert.setObject(index++, value.numberValue());
                } else {
                    insert.setString(index++, value.asText());
                }
            }
            insert.executeUpdate();
            counts.merge(event.table(), 1L, Long::sum);
        }
        connection.commit();
        connection.setAutoCommit(true);
        return counts;
    }

    private List<Map<String, Object>> query(String sql) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    row.put(meta.getColumnLabel(c), rs.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in\n" + sql, e);
        }
    }

    @Test
    void counts_match_what_was_loaded_and_every_section_has_rows() throws Exception {
        Map<SkiTable, Long> generated = load(11, 30_000);

        SkiResortReport report = SkiResortReport.run(this::query, generated);

        assertThat(report.countsMatch()).isTrue();
        assertThat(report.landedRows()).isEqualTo(generated);
        assertThat(report.sections()).hasSize(ReportQueries.SECTIONS.size());
        assertThat(report.sections()).allSatisfy(section -> assertThat(section.rows()).as(section.title()).isNotEmpty());
        java.io.StringWriter text = new java.io.StringWriter();
        report.print(new java.io.PrintWriter(text));
        assertThat(text.toString()).contains("LIFT_RIDE", "each exactly once", "Vail", "Season pass");
    }

    @Test
    void a_missing_or_duplicated_row_is_a_mismatch() throws Exception {
        Map<SkiTable, Long> generated = load(12, 5_000);
        try (Statement st = connection.createStatement()) {
            // One ride lost and another landed twice: the count alone would still match.
            st.execute("DELETE FROM LIFT_RIDE WHERE rowid = (SELECT MIN(rowid) FROM LIFT_RIDE)");
            st.execute("INSERT INTO LIFT_RIDE SELECT * FROM LIFT_RIDE WHERE rowid = (SELECT MAX(rowid) FROM LIFT_RIDE)");
        }
        SkiResortReport report = SkiResortReport.run(this::query, generated);

        assertThat(report.countsMatch()).isFalse();
        SkiResortReport.CountCheck rides = report.counts().get(SkiTable.LIFT_RIDE.ordinal());
        assertThat(rides.landedRows()).isEqualTo(generated.get(SkiTable.LIFT_RIDE));
        assertThat(rides.duplicates()).isEqualTo(1);
    }

    @Test
    void revenue_follows_the_quickstart_rules() throws Exception {
        load(13, 30_000);
        List<Map<String, Object>> revenue = query(ReportQueries.DAILY_REVENUE_BY_RESORT);
        double total = revenue.stream().mapToDouble(r -> ((Number) r.get("TOTAL_REVENUE_USD")).doubleValue()).sum();
        // Cross-check with a plain computation: first ride per RFID, resort and day.
        double expected = ((Number) query("""
                WITH V AS (SELECT DISTINCT RFID, RESORT, date(RIDE_TIME) AS D, MIN(ACTIVATION_DAY_COUNT) AS A
                           FROM LIFT_RIDE GROUP BY RFID, RESORT, date(RIDE_TIME))
                SELECT SUM(COALESCE(t.PRICE_USD * 1.0 / t.DAYS, CASE WHEN V.A <= 20 THEN p.PRICE_USD / 20.0 END)) AS R
                FROM V LEFT JOIN RESORT_TICKET t ON t.RFID = V.RFID LEFT JOIN SEASON_PASS p ON p.RFID = V.RFID
                """).get(0).get("R")).doubleValue();
        assertThat(total).isCloseTo(expected, org.assertj.core.data.Offset.offset(revenue.size() * 0.01));
    }
}
