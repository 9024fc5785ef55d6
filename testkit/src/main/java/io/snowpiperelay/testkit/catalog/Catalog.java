package io.snowpiperelay.testkit.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's catalog: databases, schemas, tables, streaming pipes and users' RSA public keys, built
 * from the same setup SQL a user runs in Snowflake ({@link #execute(String)}). Statements the emulator
 * does not model (GRANT, roles, warehouses, views, dynamic tables, tasks …) are skipped with one INFO log
 * line each, so a real setup script loads unchanged.
 *
 * <p>Thread-safe: every method takes the catalog's lock ({@code this}); lookups are a few map reads, made
 * once per request rather than per row. Listeners are called under the lock, in statement order.
 *
 * <p>Deliberate leniencies, so test scripts stay short: a table or schema in a database or schema that was
 * never created creates it implicitly, and {@code ALTER USER} on an unknown user creates the user.
 */
public final class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    /** The schema every database starts with. */
    public static final String DEFAULT_SCHEMA = "PUBLIC";
    /** Property name of a user's first RSA key slot. */
    public static final String RSA_PUBLIC_KEY = "RSA_PUBLIC_KEY";
    /** Property name of the second slot, which Snowflake offers so keys can be rotated without downtime. */
    public static final String RSA_PUBLIC_KEY_2 = "RSA_PUBLIC_KEY_2";

    /** Fully qualified name of a table or pipe. */
    private record Key(String database, String schema, String name) {
    }

    // All guarded by "this".
    private final Set<String> databases = new LinkedHashSet<>();
    private final Set<List<String>> schemas = new LinkedHashSet<>();
    private final Map<Key, TableDef> tables = new LinkedHashMap<>();
    private final Map<Key, PipeDef> pipes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> userKeys = new LinkedHashMap<>();
    private String currentDatabase;
    private String currentSchema;

    private final List<CatalogListener> listeners = new CopyOnWriteArrayList<>();

    /** An empty catalog with no current database. */
    public Catalog() {
    }

    /**
     * Parses {@code sqlScript} and applies its statements in order.
     *
     * <p>{@code CREATE OR REPLACE} and {@code IF NOT EXISTS} make re-running a script safe: the first
     * replaces (listeners see {@link CatalogListener#tableReplaced}), the second leaves the existing object.
     * A plain {@code CREATE} of an existing object fails, as in Snowflake.
     *
     * @return one {@link Statement} per statement of the script, skipped ones included
     * @throws SqlException on a syntax error in a supported statement, or a statement Snowflake would refuse;
     *                      the statements before it stay applied
     */
    public synchronized List<Statement> execute(String sqlScript) {
        Objects.requireNonNull(sqlScript, "sqlScript");
        List<Statement> done = new ArrayList<>();
        SqlParser.Context context = new SqlParser.Context() {
            @Override
            public String currentDatabase() {
                return currentDatabase;
            }

            @Override
            public String currentSchema() {
                return currentSchema;
            }

            @Override
            public Optional<TableDef> existingTable(String database, String schema, String name) {
                return Optional.ofNullable(tables.get(new Key(database, schema, name)));
            }
        };
        for (SqlLexer.StatementTokens st : SqlLexer.statements(sqlScript)) {
            Statement statement = SqlParser.parse(st, context);
            if (statement instanceof Statement.Skipped skipped) {
                log.info("catalog - skipped line {}: {} ({})", st.line(), SqlParser.summary(st.tokens()), skipped.reason());
            } else {
                apply(statement, st);
            }
            done.add(statement);
        }
        return done;
    }

    /**
     * The table {@code db.schema.table}. Each part follows Snowflake's identifier rules: unquoted is
     * upper-cased, {@code "quoted"} is exact. An unquoted name that matches no object exactly falls back to a
     * unique case-insensitive match, because REST paths are case-insensitive (HP-REST).
     */
    public synchronized Optional<TableDef> table(String db, String schema, String table) {
        return Optional.ofNullable(lookup(tables, db, schema, table));
    }

    /**
     * The pipe {@code db.schema.pipe}, including each table's default pipe {@code <TABLE>-STREAMING}
     * (which matches keys to columns case-insensitively). Names as for {@link #table}.
     */
    public synchronized Optional<PipeDef> pipe(String db, String schema, String pipe) {
        PipeDef explicit = lookup(pipes, db, schema, pipe);
        if (explicit != null) {
            return Optional.of(explicit);
        }
        String bare = Identifiers.isQuoted(pipe) ? Identifiers.normalize(pipe) : pipe;
        if (bare.length() > PipeDef.DEFAULT_PIPE_SUFFIX.length()
                && bare.regionMatches(true, bare.length() - PipeDef.DEFAULT_PIPE_SUFFIX.length(),
                PipeDef.DEFAULT_PIPE_SUFFIX, 0, PipeDef.DEFAULT_PIPE_SUFFIX.length())) {
            String tableName = bare.substring(0, bare.length() - PipeDef.DEFAULT_PIPE_SUFFIX.length());
            TableDef t = lookup(tables, db, schema, Identifiers.isQuoted(pipe) ? '"' + tableName.replace("\"", "\"\"") + '"' : tableName);
            if (t != null) {
                return Optional.of(PipeDef.defaultFor(t));
            }
        }
        return Optional.empty();
    }

    /** All tables, in creation order. */
    public synchronized List<TableDef> tables() {
        return List.copyOf(tables.values());
    }

    /** All explicitly created pipes (default pipes are not listed), in creation order. */
    public synchronized List<PipeDef> pipes() {
        return List.copyOf(pipes.values());
    }

    /**
     * User (normalised name) → RSA public keys (base64 DER body, PEM armour and whitespace removed), key 1
     * before key 2. Users without keys are absent.
     */
    public synchronized Map<String, List<String>> userPublicKeys() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        userKeys.forEach((user, keys) -> {
            List<String> list = new ArrayList<>(2);
            if (keys.containsKey(RSA_PUBLIC_KEY)) {
                list.add(keys.get(RSA_PUBLIC_KEY));
            }
            if (keys.containsKey(RSA_PUBLIC_KEY_2)) {
                list.add(keys.get(RSA_PUBLIC_KEY_2));
            }
            if (!list.isEmpty()) {
                out.put(user, List.copyOf(list));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The current database, or null (after USE / CREATE DATABASE, as in a Snowflake session). */
    public synchronized String currentDatabase() {
        return currentDatabase;
    }

    /** The current schema, or null. */
    public synchronized String currentSchema() {
        return currentSchema;
    }

    /** Registers a listener; it sees changes made after this call. */
    public void addListener(CatalogListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addListener}. */
    public void removeListener(CatalogListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- apply

    private void apply(Statement statement, SqlLexer.StatementTokens st) {
        if (statement instanceof Statement.CreateDatabase s) {
            if (databases.contains(s.name())) {
                if (s.ifNotExists()) {
                    return;
                }
                if (!s.orReplace()) {
                    throw new SqlException(st.line(), "Database '" + s.name() + "' already exists.");
                }
                dropDatabase(s.name());
            }
            databases.add(s.name());
            schemas.add(List.of(s.name(), DEFAULT_SCHEMA));
            // CREATE DATABASE makes the new database current, with its PUBLIC schema.
            currentDatabase = s.name();
            currentSchema = DEFAULT_SCHEMA;
        } else if (statement instanceof Statement.CreateSchema s) {
            ensureDatabase(s.database());
            List<String> key = List.of(s.database(), s.name());
            if (schemas.contains(key)) {
                if (s.ifNotExists()) {
                    return;
                }
                if (!s.orReplace()) {
                    throw new SqlException(st.line(), "Schema '" + s.database() + "." + s.name() + "' already exists.");
                }
                dropSchema(s.database(), s.name());
            }
            schemas.add(key);
            currentDatabase = s.database();
            currentSchema = s.name();
        } else if (statement instanceof Statement.CreateTable s) {
            TableDef t = s.table();
            ensureSchema(t.database(), t.schema());
            Key key = new Key(t.database(), t.schema(), t.name());
            TableDef previous = tables.get(key);
            if (previous != null) {
                if (s.ifNotExists()) {
                    return;
                }
                if (!s.orReplace()) {
                    throw new SqlException(st.line(), "Object '" + t.qualifiedName() + "' already exists.");
                }
                tables.put(key, t);
                listeners.forEach(l -> l.tableReplaced(previous, t));
            } else {
                tables.put(key, t);
                listeners.forEach(l -> l.tableCreated(t));
            }
        } else if (statement instanceof Statement.CreatePipe s) {
            PipeDef p = s.pipe();
            ensureSchema(p.database(), p.schema());
            Key key = new Key(p.database(), p.schema(), p.name());
            if (pipes.containsKey(key)) {
                if (s.ifNotExists()) {
                    return;
                }
                if (!s.orReplace()) {
                    throw new SqlException(st.line(), "Object '" + p.name() + "' already exists.");
                }
            }
            pipes.put(key, p);
        } else if (statement instanceof Statement.CreateUser s) {
            Map<String, String> keys = userKeys.get(s.user());
            if (keys != null && s.ifNotExists()) {
                return;
            }
            if (keys != null && !s.orReplace()) {
                throw new SqlException(st.line(), "User '" + s.user() + "' already exists.");
            }
            Map<String, String> fresh = new LinkedHashMap<>();
            if (!s.rsaPublicKeys().isEmpty()) {
                fresh.put(RSA_PUBLIC_KEY, s.rsaPublicKeys().get(0));
            }
            if (s.rsaPublicKeys().size() > 1) {
                fresh.put(RSA_PUBLIC_KEY_2, s.rsaPublicKeys().get(1));
            }
            userKeys.put(s.user(), fresh);
            listeners.forEach(l -> l.userKeysChanged(s.user()));
        } else if (statement instanceof Statement.AlterUserKeys s) {
            Map<String, String> keys = userKeys.computeIfAbsent(s.user(), u -> new LinkedHashMap<>());
            keys.putAll(s.set());
            s.unset().forEach(keys::remove);
            listeners.forEach(l -> l.userKeysChanged(s.user()));
        } else if (statement instanceof Statement.Use s) {
            currentDatabase = s.database();
            currentSchema = s.schema();
        } else if (statement instanceof Statement.DropDatabase s) {
            if (!databases.contains(s.name()) && !hasObjectsIn(s.name(), null)) {
                requireIfExists(s.ifExists(), st, "Database '" + s.name() + "'");
                return;
            }
            dropDatabase(s.name());
        } else if (statement instanceof Statement.DropSchema s) {
            if (!schemas.contains(List.of(s.database(), s.name())) && !hasObjectsIn(s.database(), s.name())) {
                requireIfExists(s.ifExists(), st, "Schema '" + s.database() + "." + s.name() + "'");
                return;
            }
            dropSchema(s.database(), s.name());
        } else if (statement instanceof Statement.DropTable s) {
            TableDef removed = tables.remove(new Key(s.database(), s.schema(), s.name()));
            if (removed == null) {
                requireIfExists(s.ifExists(), st, "Table '" + s.database() + "." + s.schema() + "." + s.name() + "'");
                return;
            }
            listeners.forEach(l -> l.tableDropped(removed));
        } else if (statement instanceof Statement.DropPipe s) {
            if (pipes.remove(new Key(s.database(), s.schema(), s.name())) == null) {
                requireIfExists(s.ifExists(), st, "Pipe '" + s.database() + "." + s.schema() + "." + s.name() + "'");
            }
        } else if (statement instanceof Statement.DropUser s) {
            if (userKeys.remove(s.user()) == null) {
                requireIfExists(s.ifExists(), st, "User '" + s.user() + "'");
                return;
            }
            listeners.forEach(l -> l.userKeysChanged(s.user()));
        }
        // Statement.Skipped: nothing to apply.
    }

    private static void requireIfExists(boolean ifExists, SqlLexer.StatementTokens st, String object) {
        if (!ifExists) {
            throw new SqlException(st.line(), object + " does not exist or not authorized.");
        }
    }

    private boolean hasObjectsIn(String database, String schema) {
        return tables.keySet().stream().anyMatch(k -> k.database().equals(database) && (schema == null || k.schema().equals(schema)))
                || pipes.keySet().stream().anyMatch(k -> k.database().equals(database) && (schema == null || k.schema().equals(schema)));
    }

    private void ensureDatabase(String database) {
        if (databases.add(database)) {
            schemas.add(List.of(database, DEFAULT_SCHEMA));
            log.info("catalog - database {} created implicitly", database);
        }
    }

    private void ensureSchema(String database, String schema) {
        ensureDatabase(database);
        if (schemas.add(List.of(database, schema))) {
            log.info("catalog - schema {}.{} created implicitly", database, schema);
        }
    }

    private void dropDatabase(String database) {
        for (List<String> s : new ArrayList<>(schemas)) {
            if (s.get(0).equals(database)) {
                dropSchema(database, s.get(1));
            }
        }
        dropSchema(database, null);
        databases.remove(database);
        if (database.equals(currentDatabase)) {
            currentDatabase = null;
            currentSchema = null;
        }
    }

    /** Drops a schema's tables (telling listeners) and pipes; schema null = every schema of the database. */
    private void dropSchema(String database, String schema) {
        var it = tables.entrySet().iterator();
        List<TableDef> dropped = new ArrayList<>();
        while (it.hasNext()) {
            Key k = it.next().getKey();
            if (k.database().equals(database) && (schema == null || k.schema().equals(schema))) {
                dropped.add(tables.get(k));
                it.remove();
            }
        }
        pipes.keySet().removeIf(k -> k.database().equals(database) && (schema == null || k.schema().equals(schema)));
        if (schema != null) {
            schemas.remove(List.of(database, schema));
            if (database.equals(currentDatabase) && schema.equals(currentSchema)) {
                currentSchema = null;
            }
        }
        for (TableDef t : dropped) {
            listeners.forEach(l -> l.tableDropped(t));
        }
    }

    /** Exact lookup after normalising each part; unquoted parts fall back to a unique case-insensitive match. */
    private static <T> T lookup(Map<Key, T> map, String db, String schema, String name) {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        T exact = map.get(new Key(Identifiers.normalize(db), Identifiers.normalize(schema), Identifiers.normalize(name)));
        if (exact != null || (Identifiers.isQuoted(db) && Identifiers.isQuoted(schema) && Identifiers.isQuoted(name))) {
            return exact;
        }
        T found = null;
        for (Map.Entry<Key, T> e : map.entrySet()) {
            Key k = e.getKey();
            if (matches(k.database(), db) && matches(k.schema(), schema) && matches(k.name(), name)) {
                if (found != null) {
                    return null;  // ambiguous: only an exact (quoted) name can choose
                }
                found = e.getValue();
            }
        }
        return found;
    }

    private static boolean matches(String stored, String given) {
        return Identifiers.isQuoted(given) ? stored.equals(Identifiers.normalize(given)) : stored.equalsIgnoreCase(given);
    }
}
