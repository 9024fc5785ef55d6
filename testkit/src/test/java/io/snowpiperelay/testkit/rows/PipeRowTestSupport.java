package io.snowpiperelay.testkit.rows;

import io.snowpiperelay.testkit.catalog.Catalog;
import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.types.RowMapper;

/** Builds mappers from SQL, the way the emulator does: the catalog's pipe over its target table. */
final class PipeRowTestSupport {
    private PipeRowTestSupport() {
    }

    /** The table behind {@code pipe} after running {@code CREATE DATABASE D; CREATE SCHEMA S;} and {@code sql}. */
    static TableDef table(String sql, String pipe) {
        Catalog c = catalog(sql);
        PipeDef p = c.pipe("D", "S", pipe).orElseThrow();
        return c.table(p.tableDatabase(), p.tableSchema(), '"' + p.table() + '"').orElseThrow();
    }

    /** A mapper for {@code pipe} after running {@code CREATE DATABASE D; CREATE SCHEMA S;} and {@code sql}. */
    static RowMapper mapper(String sql, String pipe) {
        Catalog c = catalog(sql);
        PipeDef p = c.pipe("D", "S", pipe).orElseThrow();
        return p.rowMapper(c.table(p.tableDatabase(), p.tableSchema(), '"' + p.table() + '"').orElseThrow());
    }

    private static Catalog catalog(String sql) {
        Catalog c = new Catalog();
        c.execute("CREATE DATABASE D; CREATE SCHEMA S;\n" + sql);
        return c;
    }
}
