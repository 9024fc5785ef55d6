package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.testkit.catalog.Catalog;
import io.snowpiperelay.testkit.catalog.CatalogListener;
import io.snowpiperelay.testkit.catalog.PipeDef;
import io.snowpiperelay.testkit.catalog.TableDef;
import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.MappedRow;
import io.snowpiperelay.types.RowMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The schema backend over the SQL {@link Catalog} and the per-type {@link RowMapper}. Thread-safe. */
final class CatalogBackend implements SchemaBackend {

    private final Catalog catalog = new Catalog();
    private volatile Listener listener;

    CatalogBackend() {
        catalog.addListener(new CatalogListener() {
            @Override
            public void tableCreated(TableDef table) {
                Listener l = listener;
                if (l != null) {
                    l.tableCreated(spec(table));
                }
            }

            @Override
            public void tableDropped(TableDef table) {
                Listener l = listener;
                if (l != null) {
                    l.tableDropped(spec(table));
                }
            }

            @Override
            public void tableReplaced(TableDef previous, TableDef created) {
                Listener l = listener;
                if (l != null) {
                    l.tableReplaced(spec(previous), spec(created));
                }
            }
        });
    }

    /** The catalog itself (for the emulator's facade). */
    Catalog catalog() {
        return catalog;
    }

    @Override
    public void execute(String sqlScript) {
        catalog.execute(sqlScript);
    }

    @Override
    public Optional<PipeTarget> resolvePipe(String database, String schema, String pipe) {
        Optional<PipeDef> found = catalog.pipe(database, schema, pipe);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PipeDef p = found.get();
        Optional<TableDef> table = catalog.table(quote(p.tableDatabase()), quote(p.tableSchema()), quote(p.table()));
        if (table.isEmpty()) {
            return Optional.of(new PipeTarget(p.database(), p.schema(), p.name(), p.table(), null, null));
        }
        RowMapper mapper = p.rowMapper(table.get());
        RowConverter converter = (buf, off, len) -> {
            MappedRow row = mapper.map(buf, off, len);
            if (row instanceof MappedRow.Ok ok) {
                return ok.values();
            }
            MappedRow.Error e = (MappedRow.Error) row;
            return new RowConverter.RowFailure(e.column(), e.message());
        };
        return Optional.of(new PipeTarget(p.database(), p.schema(), p.name(), p.table(), spec(table.get()), converter));
    }

    @Override
    public List<TableSpec> tables() {
        List<TableSpec> result = new ArrayList<>();
        for (TableDef t : catalog.tables()) {
            result.add(spec(t));
        }
        return result;
    }

    @Override
    public Optional<List<Column>> columns(String database, String schema, String table) {
        return catalog.table(database, schema, table).map(TableDef::columns);
    }

    @Override
    public Map<String, List<String>> userPublicKeys() {
        return catalog.userPublicKeys();
    }

    @Override
    public void setListener(Listener l) {
        this.listener = l;
    }

    private static TableSpec spec(TableDef t) {
        List<String> names = new ArrayList<>(t.columns().size());
        for (Column c : t.columns()) {
            names.add(c.name());
        }
        return new TableSpec(t.database(), t.schema(), t.name(), List.copyOf(names), t::sqliteCreateTable);
    }

    private static String quote(String normalisedName) {
        return '"' + normalisedName.replace("\"", "\"\"") + '"';
    }
}
