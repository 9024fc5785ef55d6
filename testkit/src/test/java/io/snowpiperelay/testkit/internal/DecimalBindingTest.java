package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Store} binds whole decimals as integers ({@link DecimalBinding}); SQLite must end up with exactly what
 * the text binding (sqlite-jdbc's {@code setBigDecimal}) gave it: same storage class, same value.
 */
class DecimalBindingTest {

    @Test
    void wholeValuesAreRecognisedOnlyWhereTheTextBecomesThatExactInteger() {
        assertThat(DecimalBinding.wholeValue(new BigDecimal("384.00"))).isEqualTo(384L);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("-5.0"))).isEqualTo(-5L);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("0.00"))).isZero();
        assertThat(DecimalBinding.wholeValue(new BigDecimal("9007199254740991.00"))).isEqualTo((1L << 53) - 1);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("9007199254740992.00"))).isEqualTo(DecimalBinding.NOT_WHOLE);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("123.45"))).isEqualTo(DecimalBinding.NOT_WHOLE);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("0.001"))).isEqualTo(DecimalBinding.NOT_WHOLE);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("384"))).isEqualTo(DecimalBinding.NOT_WHOLE);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("1E+3"))).isEqualTo(DecimalBinding.NOT_WHOLE);
        assertThat(DecimalBinding.wholeValue(new BigDecimal("1234567890123456789.00"))).isEqualTo(DecimalBinding.NOT_WHOLE);
    }

    @Test
    void sqliteStoresTheSameAsForTheDecimalsText() {
        List<BigDecimal> values = new ArrayList<>(List.of(new BigDecimal("384.00"), new BigDecimal("0.00"),
                new BigDecimal("-5.00"), new BigDecimal("1.50"), new BigDecimal("123.45"), new BigDecimal("99999.99"),
                new BigDecimal("-99999.99"), new BigDecimal("9007199254740991.00"), new BigDecimal("9007199254740992.00"),
                new BigDecimal("-9007199254740993.0"), new BigDecimal("999999999999999999"), new BigDecimal("0.001"),
                new BigDecimal("1E+3"), new BigDecimal("12345678901234567890.00"), new BigDecimal("1.000000000000000000"),
                new BigDecimal("4503599627370497.5")));
        Random random = new Random(20261202);
        for (int i = 0; i < 2_000; i++) {
            int scale = 1 + random.nextInt(18);
            long unscaled = random.nextLong() / (long) Math.pow(10, random.nextInt(19));
            if (random.nextBoolean()) {
                unscaled -= unscaled % (long) Math.pow(10, Math.min(scale, 18));  // many whole values
            }
            values.add(BigDecimal.valueOf(unscaled, scale));
        }
        try (Store store = Store.open(null)) {
            String bound = store.createTable(table("BOUND"), true);
            String text = store.createTable(table("TEXT"), true);
            List<Object[]> rows = new ArrayList<>();
            for (BigDecimal d : values) {
                rows.add(new Object[] {d});
                store.query("INSERT INTO \"" + text + "\" (X) VALUES (?)", d.toString());
            }
            store.commit(List.of(new Store.RowBatch(bound, List.of("X"), rows)), List.of());
            assertThat(stored(store, bound)).hasSize(values.size()).isEqualTo(stored(store, text));
            assertThat(stored(store, bound).get(0)).isEqualTo("integer:384");
        }
    }

    private static TableSpec table(String name) {
        return new TableSpec("D", "S", name, List.of("X"), n -> "CREATE TABLE \"" + n + "\" (X NUMERIC)");
    }

    private static List<String> stored(Store store, String table) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : store.query("SELECT typeof(X) || ':' || quote(X) AS V FROM \"" + table + "\" ORDER BY rowid")) {
            out.add(String.valueOf(row.get("V")));
        }
        return out;
    }
}
