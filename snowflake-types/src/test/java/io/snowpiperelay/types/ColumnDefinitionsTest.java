package io.snowpiperelay.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.types.ColumnType.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading columns from CREATE TABLE text and types from DESCRIBE TABLE output. */
class ColumnDefinitionsTest {

    @Test
    void readsACreateTableStatement() {
        List<Column> columns = ColumnDefinitions.parse("""
                CREATE OR REPLACE TABLE SKI.PUBLIC.LIFT_RIDE (
                    TXID varchar(255) NOT NULL COMMENT 'the ride, (id)',
                    "mixedCase" INT DEFAULT 0,
                    PRICE_USD DECIMAL(7, 2),
                    AT TIMESTAMP WITHOUT TIME ZONE,
                    RATE DOUBLE PRECISION,
                    ID NUMBER,
                    SEQ INT NOT NULL AUTOINCREMENT,
                    CREATED TIMESTAMP_NTZ NOT NULL DEFAULT CURRENT_TIMESTAMP(),
                    CONSTRAINT PK PRIMARY KEY (ID)
                );
                """);
        assertThat(columns).containsExactly(
                new Column("TXID", ColumnType.varchar(255), false),
                new Column("mixedCase", ColumnType.number(38, 0), true),
                new Column("PRICE_USD", ColumnType.number(7, 2), true),
                new Column("AT", ColumnType.temporal(Kind.TIMESTAMP_NTZ, 9), true),
                new Column("RATE", ColumnType.of(Kind.FLOAT), true),
                new Column("ID", ColumnType.number(38, 0), false),
                // a missing key takes the default, so the check must not require it
                new Column("SEQ", ColumnType.number(38, 0), true),
                new Column("CREATED", ColumnType.temporal(Kind.TIMESTAMP_NTZ, 9), true));
    }

    @Test
    void readsAColumnList() {
        assertThat(ColumnDefinitions.parse("a int not null primary key, b string"))
                .containsExactly(new Column("A", ColumnType.number(38, 0), false),
                        new Column("B", ColumnType.varchar(ColumnType.DEFAULT_VARCHAR_LENGTH), true));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> ColumnDefinitions.parse("a NUMBER(40)")).hasMessageContaining("column A")
                .hasMessageContaining("precision 40");
        assertThatThrownBy(() -> ColumnDefinitions.parse("a BLOB")).hasMessageContaining("unknown column type 'BLOB'");
        assertThatThrownBy(() -> ColumnDefinitions.parse("a INT, a INT")).hasMessageContaining("defined twice");
        assertThatThrownBy(() -> ColumnDefinitions.parse("a")).hasMessageContaining("no type");
        assertThatThrownBy(() -> ColumnDefinitions.parse("g GEOGRAPHY")).hasMessageContaining("not modelled");
    }

    /** The forms DESCRIBE TABLE and INFORMATION_SCHEMA.COLUMNS show. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUMBER(38,0)      | NUMBER(38,0)",
            "NUMBER(7,2)       | NUMBER(7,2)",
            "VARCHAR(16777216) | VARCHAR(16777216)",
            "TIMESTAMP_NTZ(9)  | TIMESTAMP_NTZ(9)",
            "TIMESTAMP_LTZ(3)  | TIMESTAMP_LTZ(3)",
            "BOOLEAN           | BOOLEAN",
            "FLOAT             | FLOAT",
            "DATE              | DATE",
            "VARIANT           | VARIANT",
            "OBJECT            | OBJECT",
            "ARRAY(NUMBER)     | ARRAY",
            "BINARY(8388608)   | BINARY(8388608)",
            "text              | VARCHAR(16777216)",
    })
    void parsesDescribedTypes(String described, String normalised) {
        assertThat(ColumnType.parse(described).sql()).isEqualTo(normalised);
    }
}
