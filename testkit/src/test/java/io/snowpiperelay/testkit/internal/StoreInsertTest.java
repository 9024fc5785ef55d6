package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Store#commit} writes every row of every batch, in order per table, whatever the batch sizes (full
 * multi-row statements, halving tail statements) and however batches of several tables interleave.
 */
class StoreInsertTest {

    @Test
    void batchesOfAnySizeAreStoredCompletelyAndInOrder() {
        int[] sizes = {0, 1, 2, 255, 256, 257, 2000, 511, 3, 1000};
        try (Store store = Store.open(null)) {
            String a = store.createTable(table("A"), true);
            String b = store.createTable(table("B"), true);
            List<Store.RowBatch> batches = new ArrayList<>();
            List<String> expectedA = new ArrayList<>();
            List<String> expectedB = new ArrayList<>();
            int n = 0;
            for (int size : sizes) {
                for (String t : new String[] {a, b}) {
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < size; i++, n++) {
                        rows.add(new Object[] {(long) n, "row " + n, n % 7 == 0 ? null : n + 0.5});
                        (t.equals(a) ? expectedA : expectedB).add(n + "|row " + n + "|" + (n % 7 == 0 ? "null" : n + 0.5));
                    }
                    batches.add(new Store.RowBatch(t, List.of("ID", "NAME", "X"), rows));
                }
            }
            store.commit(batches.subList(0, 7), List.of());
            store.commit(batches.subList(7, batches.size()), List.of());
            assertThat(rows(store, a)).isEqualTo(expectedA);
            assertThat(rows(store, b)).isEqualTo(expectedB);
        }
    }

    @Test
    void statementsHoldAtMostThirtyThousandValues() {
        assertThat(Store.rowsPerStatement(6)).isEqualTo(256);
        assertThat(Store.rowsPerStatement(13)).isEqualTo(256);
        assertThat(Store.rowsPerStatement(1000)).isEqualTo(30);
        assertThat(Store.rowsPerStatement(40_000)).isEqualTo(1);
    }

    private static TableSpec table(String name) {
        return new TableSpec("D", "S", name, List.of("ID", "NAME", "X"),
                n -> "CREATE TABLE \"" + n + "\" (ID INTEGER, NAME TEXT, X REAL)");
    }

    private static List<String> rows(Store store, String table) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : store.query("SELECT ID, NAME, X FROM \"" + table + "\" ORDER BY rowid")) {
            out.add(row.get("ID") + "|" + row.get("NAME") + "|" + row.get("X"));
        }
        return out;
    }
}
