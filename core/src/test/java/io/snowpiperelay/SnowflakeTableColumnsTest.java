package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.ColumnType.Kind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code DESCRIBE TABLE} output into columns. There is no Snowflake here: an in-memory SQLite table holds
 * rows shaped like Snowflake's output (columns {@code name}, {@code type}, {@code kind}, {@code null?}), so the
 * mapping is tested, not the driver.
 */
class SnowflakeTableColumnsTest {

    private Connection db;

    @BeforeEach
    void open() throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TABLE described (name TEXT, type TEXT, kind TEXT, \"null?\" TEXT, \"default\" TEXT)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private ResultSet describe(String... rows) throws SQLException {
        try (Statement st = db.createStatement()) {
            for (String row : rows) {
                st.execute("INSERT INTO described VALUES (" + row + ")");
            }
        }
        return db.createStatement().executeQuery("SELECT * FROM described ORDER BY rowid");
    }

    @Test
    void mapsDescribeTableOutput() throws SQLException {
        ResultSet rows = describe(
                "'TXID', 'VARCHAR(255)', 'COLUMN', 'N', NULL",
                "'PRICE_USD', 'NUMBER(7,2)', 'COLUMN', 'Y', NULL",
                "'RIDE_TIME', 'TIMESTAMP_NTZ(9)', 'COLUMN', 'Y', NULL",
                "'PLACE', 'GEOGRAPHY', 'COLUMN', 'N', NULL",
                "'TOTAL', 'NUMBER(9,2)', 'VIRTUAL', 'Y', NULL",
                "'lower', 'BOOLEAN', 'COLUMN', 'Y', NULL",
                "'SEQ', 'NUMBER(38,0)', 'COLUMN', 'N', 'IDENTITY START 1 INCREMENT 1 ORDER'");
        assertThat(SnowflakeTableColumns.columns(rows, "DB.PUBLIC.LIFT_RIDE")).containsExactly(
                new Column("TXID", ColumnType.varchar(255), false),
                new Column("PRICE_USD", ColumnType.number(7, 2), true),
                new Column("RIDE_TIME", ColumnType.temporal(Kind.TIMESTAMP_NTZ, 9), true),
                new Column("PLACE", ColumnType.of(Kind.VARIANT), false),
                new Column("lower", ColumnType.of(Kind.BOOLEAN), true),
                new Column("SEQ", ColumnType.number(38, 0), true));
    }

    @Test
    void namesTheColumnWhoseTypeItCannotRead() throws SQLException {
        ResultSet rows = describe("'BLOB_COL', 'BLOB', 'COLUMN', 'Y', NULL");
        assertThatThrownBy(() -> SnowflakeTableColumns.columns(rows, "DB.PUBLIC.T"))
                .isInstanceOf(SQLException.class).hasMessageContaining("DB.PUBLIC.T.BLOB_COL")
                .hasMessageContaining("BLOB");
    }

    @Test
    void aTableWithoutColumnsIsAnError() throws SQLException {
        ResultSet rows = describe();
        assertThatThrownBy(() -> SnowflakeTableColumns.columns(rows, "DB.PUBLIC.T"))
                .isInstanceOf(SQLException.class).hasMessageContaining("no columns");
    }
}
