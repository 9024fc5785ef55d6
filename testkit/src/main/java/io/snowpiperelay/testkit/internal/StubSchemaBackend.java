package io.snowpiperelay.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Placeholder used until the SQL catalog is available: every pipe exists and lands its rows, as raw JSON text, in
 * a table named after the pipe with one column {@code RECORD}.
 */
final class StubSchemaBackend implements SchemaBackend {

    private final Map<String, TableSpec> tables = new ConcurrentHashMap<>();
    private volatile Listener listener;

    @Override
    public void execute(String sqlScript) {
        // not supported by the stub
    }

    @Override
    public Optional<PipeTarget> resolvePipe(String database, String schema, String pipe) {
        String db = database.toUpperCase(Locale.ROOT);
        String sch = schema.toUpperCase(Locale.ROOT);
        String name = pipe.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        TableSpec table = tables.computeIfAbsent(db + "." + sch + "." + name, k -> {
            TableSpec t = new TableSpec(db, sch, name, List.of("RECORD"),
                    sqliteName -> "CREATE TABLE IF NOT EXISTS \"" + sqliteName + "\" (\"RECORD\" TEXT)");
            Listener l = listener;
            if (l != null) {
                l.tableCreated(t);
            }
            return t;
        });
        return Optional.of(new PipeTarget(db, sch, pipe.toUpperCase(Locale.ROOT), name, table,
                (buf, off, len) -> new Object[] {new String(buf, off, len, StandardCharsets.UTF_8)}));
    }

    @Override
    public List<TableSpec> tables() {
        return new ArrayList<>(tables.values());
    }

    @Override
    public Map<String, List<String>> userPublicKeys() {
        return Map.of();
    }

    @Override
    public void setListener(Listener l) {
        this.listener = l;
    }
}
