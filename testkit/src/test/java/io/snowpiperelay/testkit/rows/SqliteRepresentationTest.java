package io.snowpiperelay.testkit.rows;

import static io.snowpiperelay.testkit.rows.PipeRowTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.types.MappedRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The values RowMapper produces, stored through JDBC into the table {@link TableDef#sqliteCreateTable}
 * declares, must let report SQL compute in SQLite: numbers numeric, dates and timestamps readable by SQLite's
 * date functions, VARIANT readable by {@code json_extract}.
 */
class SqliteRepresentationTest {

    private Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private void load(TableDef t, String... lines) throws SQLException {
        var m = PipeDef.defaultFor(t).rowMapper(t);
        try (Statement st = db.createStatement()) {
            st.execute(t.sqliteCreateTable(t.name()));
        }
        String marks = String.join(", ", t.columns().stream().map(c -> "?").toList());
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO " + TableDef.sqliteQuote(t.name()) + " VALUES (" + marks + ")")) {
            for (String line : lines) {
                MappedRow row = m.map(line);
                assertThat(row).isInstanceOf(MappedRow.Ok.class);
                Object[] values = ((MappedRow.Ok) row).values();
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                ps.executeUpdate();
            }
        }
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void skiResortColumnsComputeInSqlite() throws SQLException {
        TableDef tickets = table("""
                CREATE TABLE RESORT_TICKET (TXID varchar(255), PURCHASE_TIME datetime, PRICE_USD DECIMAL(7,2),
                    EXPIRATION_TIME date, DAYS number, ADDRESS variant, EMERGENCY_CONTACT variant);
                """, "RESORT_TICKET-STREAMING");
        load(tickets,
                "{\"TXID\": \"a\", \"PURCHASE_TIME\": \"2026-11-23T14:00:19.763520+00:00\", \"PRICE_USD\": 92,"
                        + " \"EXPIRATION_TIME\": \"2026-11-25T14:00:19.763520+00:00\", \"DAYS\": 2,"
                        + " \"ADDRESS\": {\"city\": \"Vail\", \"zip\": 81657}, \"EMERGENCY_CONTACT\": null}",
                "{\"TXID\": \"b\", \"PURCHASE_TIME\": \"2026-11-23T09:30:00+00:00\", \"PRICE_USD\": 92.5,"
                        + " \"EXPIRATION_TIME\": \"2026-11-24\", \"DAYS\": 1, \"ADDRESS\": null}");
        assertThat(query("SELECT typeof(PRICE_USD), typeof(DAYS), typeof(PURCHASE_TIME), typeof(ADDRESS) FROM RESORT_TICKET ORDER BY TXID"))
                .containsExactly("integer|integer|text|text", "real|integer|text|text");  // JSON null in a VARIANT is a VARIANT null (§1.8)
        assertThat(query("SELECT SUM(PRICE_USD), SUM(PRICE_USD / DAYS), MAX(PRICE_USD) FROM RESORT_TICKET"))
                .containsExactly("184.5|138.5|92.5");
        assertThat(query("SELECT TXID FROM RESORT_TICKET WHERE PRICE_USD > 92.1")).containsExactly("b");
        assertThat(query("SELECT date(PURCHASE_TIME), strftime('%H', PURCHASE_TIME), EXPIRATION_TIME,"
                + " julianday(EXPIRATION_TIME) - julianday(date(PURCHASE_TIME)) FROM RESORT_TICKET ORDER BY PURCHASE_TIME"))
                .containsExactly("2026-11-23|09|2026-11-24|1.0", "2026-11-23|14|2026-11-25|2.0");
        assertThat(query("SELECT strftime('%Y-%m-%d %H:%M:%f', PURCHASE_TIME), datetime(PURCHASE_TIME, '-30 minutes')"
                + " FROM RESORT_TICKET WHERE TXID = 'a'")).containsExactly("2026-11-23 14:00:19.764|2026-11-23 13:30:19");
        assertThat(query("SELECT json_extract(ADDRESS, '$.city'), json_extract(ADDRESS, '$.zip') + 1,"
                + " EMERGENCY_CONTACT, json_type(EMERGENCY_CONTACT) FROM RESORT_TICKET WHERE TXID = 'a'"))
                .containsExactly("Vail|81658|null|null");
    }

    @Test
    void everyTypeIsStoredUsefully() throws SQLException {
        TableDef m = table("""
                CREATE TABLE T (id INT, b BOOLEAN, f FLOAT, n NUMBER(38,0), tm TIME, ltz TIMESTAMP_LTZ, tz TIMESTAMP_TZ,
                    o OBJECT, a ARRAY, v VARIANT, bin BINARY);
                """, "T-STREAMING");
        load(m,
                "{\"id\": 1, \"b\": true, \"f\": 1.5, \"n\": 12345678901234, \"tm\": \"13:45:30.25\","
                        + " \"ltz\": \"2024-01-15T10:00:00+07:00\", \"tz\": \"2024-01-15T10:00:00+07:00\","
                        + " \"o\": \"{\\\"k\\\": [1, 2]}\", \"a\": 5, \"v\": \"text\", \"bin\": \"SGk=\"}",
                "{\"id\": 2, \"b\": \"no\", \"f\": \"-inf\", \"n\": -1}",
                "{\"id\": 3, \"b\": \"yes\", \"f\": \"NaN\"}");
        assertThat(query("SELECT SUM(b), COUNT(*) FILTER (WHERE b) FROM T")).containsExactly("2|2");
        assertThat(query("SELECT f, typeof(f) FROM T ORDER BY id"))
                .containsExactly("1.5|real", "-Inf|real", "null|null");  // SQLite stores a NaN double as NULL
        assertThat(query("SELECT n + 1, typeof(n) FROM T WHERE id = 1")).containsExactly("12345678901235|integer");
        assertThat(query("SELECT time(tm, '+1 hour'), datetime(ltz), datetime(tz), ltz = datetime(tz) || '' FROM T WHERE id = 1"))
                .containsExactly("14:45:30|2024-01-15 03:00:00|2024-01-15 03:00:00|1");
        assertThat(query("SELECT json_extract(o, '$.k[1]'), json_array_length(a), json_extract(a, '$[0]'),"
                + " json_extract(v, '$'), json_type(v), bin FROM T WHERE id = 1"))
                .containsExactly("2|1|5|text|text|4869");
    }
}
