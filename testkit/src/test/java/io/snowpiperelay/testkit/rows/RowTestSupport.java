package io.snowpiperelay.testkit.rows;

import io.snowpiperelay.testkit.catalog.Catalog;
import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;

/** Builds mappers from SQL, the way the emulator does. */
final class RowTestSupport {
    private RowTestSupport() {
    }

    /** A mapper for {@code pipe} after running {@code CREATE DATABASE D; CREATE SCHEMA S;} and {@code sql}. */
    static RowMapper mapper(String sql, String pipe) {
        Catalog c = new Catalog();
        c.execute("CREATE DATABASE D; CREATE SCHEMA S;\n" + sql);
        PipeDef p = c.pipe("D", "S", pipe).orElseThrow();
        TableDef t = c.table(p.tableDatabase(), p.tableSchema(), '"' + p.table() + '"').orElseThrow();
        return RowMapper.forPipe(p, t);
    }

    /** A mapper for the default pipe of a one-column table {@code T (C <type>)}. */
    static RowMapper oneColumn(String type) {
        return mapper("CREATE TABLE T (C " + type + ");", "T-STREAMING");
    }

    /** "Type:value" of a mapped value, "null" for SQL NULL, "ERR:message" for a rejected row. */
    static String describe(MappedRow row, int column) {
        if (row instanceof MappedRow.Error e) {
            return "ERR:" + e.message();
        }
        Object v = ((MappedRow.Ok) row).values()[column];
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }
}
