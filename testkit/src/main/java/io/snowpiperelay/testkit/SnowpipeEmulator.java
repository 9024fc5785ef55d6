package io.snowpiperelay.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snowpiperelay.testkit.internal.Auth;
import io.snowpiperelay.testkit.internal.Engine;
import io.snowpiperelay.testkit.internal.Hooks;
import io.snowpiperelay.testkit.internal.HttpFrontend;
import io.snowpiperelay.testkit.internal.Keys;
import io.snowpiperelay.testkit.internal.ProtocolHandler;
import io.snowpiperelay.testkit.internal.SchemaBackend;
import io.snowpiperelay.testkit.internal.SchemaBackends;
import io.snowpiperelay.testkit.internal.Store;
import io.snowpiperelay.testkit.internal.TableSpec;
import io.snowpiperelay.types.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local emulator of the Snowpipe Streaming (high-performance) REST service that the real, unchanged
 * {@code com.snowflake:snowpipe-streaming} SDK talks to over HTTP on 127.0.0.1: only the account URL differs.
 * Rows land in SQLite tables named like the Snowflake tables, queryable with {@link #query}.
 *
 * <pre>{@code
 * try (SnowpipeEmulator emulator = SnowpipeEmulator.builder()
 *         .sql("CREATE DATABASE DB; CREATE SCHEMA DB.PUBLIC;"
 *              + " CREATE TABLE DB.PUBLIC.LIFT_RIDE (RIDE_ID NUMBER, RESORT VARCHAR(100));")
 *         .commitLag(Duration.ofMillis(100))
 *         .start()) {
 *     try (SnowflakeStreamingIngestClient client = SnowflakeStreamingIngestClientFactory
 *             .builder("my-client", "DB", "PUBLIC", "LIFT_RIDE-STREAMING")
 *             .setProperties(emulator.clientProperties())
 *             .build()) {
 *         SnowflakeStreamingIngestChannel channel = client.openChannel("ch1", null).getChannel();
 *         channel.appendRow(Map.of("RIDE_ID", 1, "RESORT", "Zermatt"), "1");
 *         channel.waitForCommit(token -> "1".equals(token), Duration.ofSeconds(10)).get();
 *     }
 *     long rides = emulator.queryForLong("SELECT COUNT(*) FROM LIFT_RIDE");
 * }
 * }</pre>
 *
 * <p>What it does like Snowflake: key-pair JWT auth against registered public keys, scoped tokens, pipe info,
 * channels with client sequencers and continuation tokens (a re-open fences the older instance), asynchronous
 * commits after {@link Builder#commitLag(Duration)} with rows and offset token in one transaction, per-row
 * errors counted in the channel status (ON_ERROR = CONTINUE). See {@code docs/emulator.md} for the differences.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class SnowpipeEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnowpipeEmulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Default account name. */
    public static final String DEFAULT_ACCOUNT = "EMULATOR";
    /** Default user, for which the emulator generates and registers a key pair. */
    public static final String DEFAULT_USER = "RELAY";
    /** Default role put in {@link #clientProperties()} (roles are not checked). */
    public static final String DEFAULT_ROLE = "PUBLIC";
    /** Default delay between an append and its commit (Snowflake: about a second or more). */
    public static final Duration DEFAULT_COMMIT_LAG = Duration.ofMillis(300);
    /** Default flush period the emulator asks the SDK for (pipe-info {@code parameter_overrides}). */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);
    /** Default bound of appended but uncommitted data (decompressed bytes); above it appends get 503. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;
    /** How many recorded requests are kept (oldest dropped first). */
    public static final int MAX_RECORDED_REQUESTS = 10_000;
    /** How many body bytes recorded requests may hold in total (oldest dropped first). */
    public static final long MAX_RECORDED_BYTES = 64L * 1024 * 1024;

    /**
     * Client properties for the emulator (docs/emulator.md, "What the SDK client needs"): the first three keep the
     * SDK's batches inline (no file mode, which needs cloud storage); the last sends them as plain NDJSON, since
     * zstd saves bandwidth a connection to 127.0.0.1 does not need and costs the SDK about 2 µs of CPU per
     * 540-byte row (docs/sdk-facts.md, "Compression"). Compressed appends still work (the SDK's defaults).
     */
    public static final Map<String, String> EMULATOR_SAFE_SDK_PROPERTIES = Map.of(
            "max_buffered_kb_for_rowset_mode", "1000000",
            "max_rowset_payload_size_mb", "128",
            "target_rowset_payload_size_mb", "32",
            "enable_rowset_compression", "false");

    private enum State { NEW, RUNNING, CLOSED }

    private final Builder config;
    /** PKCS#8 PEM of the generated private key and PEM of its public key; set by start(). */
    private volatile String[] keyPair;
    private final Auth auth;
    private final FaultInjector faults = new FaultInjector();
    private final LinkedBlockingDeque<RecordedRequest> recorded = new LinkedBlockingDeque<>();
    /** Body bytes held by {@link #recorded}; approximate under concurrent take/record. */
    private final java.util.concurrent.atomic.AtomicLong recordedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Endpoint, LongAdder> counts = new EnumMap<>(Endpoint.class);
    private volatile boolean recording;

    /** Guarded by {@code this}. */
    private State state = State.NEW;
    private volatile Store store;
    private volatile SchemaBackend backend;
    private volatile Engine engine;
    private volatile HttpFrontend http;
    private volatile int port;
    /** Guarded by {@code this}: true while stored SQL is replayed (tables are kept, not recreated). */
    private boolean replaying;

    private SnowpipeEmulator(Builder config) {
        this.config = config;
        this.recording = config.recordRequests;
        for (Endpoint e : Endpoint.values()) {
            counts.put(e, new LongAdder());
        }
        this.auth = new Auth(config.account, () -> {
            SchemaBackend b = backend;
            return b == null ? Map.of() : b.userPublicKeys();
        });
    }

    /** A builder with every default: port 0, in-memory store, 300 ms commit lag, account EMULATOR, user RELAY. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the emulator: opens the store, replays the SQL it remembers, runs the builder's SQL scripts that it
     * has not run before, and starts serving.
     *
     * @throws IllegalStateException if already started or closed, or the port cannot be bound
     */
    public synchronized SnowpipeEmulator start() {
        if (state != State.NEW) {
            throw new IllegalStateException("emulator is " + state + "; start() may be called once");
        }
        boot(config.port);
        keyPair = store.keyPair(config.user.toUpperCase(java.util.Locale.ROOT), () -> {
            KeyPair generated = Keys.generate();
            return new String[] {Keys.privateKeyPem(generated.getPrivate()), Keys.publicKeyPem(generated.getPublic())};
        });
        auth.registerPublicKey(config.user, keyPair[1]);
        state = State.RUNNING;
        try {
            Set<String> done = new HashSet<>(store.scripts());
            for (String script : config.scripts) {
                if (!done.contains(script)) {
                    executeSql(script);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("snowpipe-emulator - listening on {} (store {}, commit lag {} ms)", url(),
                config.store == null ? "in memory" : config.store, config.commitLag.toMillis());
        return this;
    }

    private void boot(int bindPort) {
        Store s = store == null ? Store.open(config.store) : store;
        store = s;
        SchemaBackend b = SchemaBackends.create();
        b.setListener(new SchemaBackend.Listener() {
            @Override
            public void tableCreated(TableSpec table) {
                s.createTable(table, !replaying);
                Engine e = engine;
                if (e != null) {
                    e.catalogChanged();
                }
            }

            @Override
            public void tableReplaced(TableSpec previous, TableSpec created) {
                if (!replaying) {
                    if (!previous.sameIdentity(created)) {
                        s.dropTable(previous);
                    }
                    s.createTable(created, true);
                } else {
                    s.createTable(created, false);
                }
                Engine e = engine;
                if (e != null) {
                    e.catalogChanged();
                }
            }

            @Override
            public void tableDropped(TableSpec table) {
                if (!replaying) {
                    s.dropTable(table);
                }
                Engine e = engine;
                if (e != null) {
                    e.catalogChanged();
                }
            }
        });
        replaying = true;
        try {
            for (String script : s.scripts()) {
                try {
                    b.execute(script);
                } catch (RuntimeException e) {
                    log.warn("snowpipe-emulator - replay of stored SQL failed: {}", e.getMessage());
                }
            }
        } finally {
            replaying = false;
        }
        s.retainTables(b.tables());
        backend = b;
        engine = new Engine(b, s, config.commitLag, config.maxPendingBytes);
        ProtocolHandler handler = new ProtocolHandler(engine, auth, new FacadeHooks(), config.flushInterval.toMillis());
        http = HttpFrontend.start(bindPort, handler);
        port = http.port();
    }

    /** The account URL for the SDK: {@code http://127.0.0.1:PORT}. */
    public String url() {
        requireRunning();
        return "http://127.0.0.1:" + port;
    }

    /** The bound port. */
    public int port() {
        requireRunning();
        return port;
    }

    /** The account name. */
    public String account() {
        return config.account;
    }

    /** The user whose generated key pair is in {@link #clientProperties()}. */
    public String user() {
        return config.user;
    }

    /**
     * The PKCS#8 PEM private key generated for {@link #user()} (kept in the store: a file store reuses it on the
     * next start).
     */
    public String privateKeyPem() {
        requireRunning();
        return keyPair[0];
    }

    /** The public key registered for {@link #user()}, PEM. */
    public String publicKeyPem() {
        requireRunning();
        return keyPair[1];
    }

    /**
     * SDK client properties ready for {@code SnowflakeStreamingIngestClientFactory.builder(..).setProperties(..)}:
     * {@code url}, {@code user}, {@code account}, {@code role}, {@code private_key} (PKCS#8 PEM of the generated,
     * registered key pair) and {@link #EMULATOR_SAFE_SDK_PROPERTIES}. A new, modifiable copy each call.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("url", url());
        p.setProperty("user", config.user);
        p.setProperty("account", config.account);
        p.setProperty("role", config.role);
        p.setProperty("private_key", privateKeyPem());
        EMULATOR_SAFE_SDK_PROPERTIES.forEach(p::setProperty);
        return p;
    }

    /**
     * The SDK's {@code profile.json} for this emulator: user, account, url, private_key, role (and
     * {@code authenticator = snowflake_jwt} as in Snowflake's examples), plus {@link #EMULATOR_SAFE_SDK_PROPERTIES}.
     * Snowflake's examples load it by putting every field into the client {@code Properties}, so they get the
     * properties that keep batches inline too.
     */
    public String profileJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("user", config.user);
        node.put("account", config.account);
        node.put("url", url());
        node.put("private_key", privateKeyPem());
        node.put("role", config.role);
        node.put("authenticator", "snowflake_jwt");
        EMULATOR_SAFE_SDK_PROPERTIES.forEach(node::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@link #profileJson()} to {@code file}. */
    public void writeProfile(Path file) {
        try {
            Files.writeString(file, profileJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profile to " + file, e);
        }
    }

    /**
     * Executes a SQL script (the supported subset: see docs/emulator.md) and remembers it in the store, so a
     * restart on the same store has the same objects.
     *
     * @throws RuntimeException the catalog's error, naming the line, for a syntax error in a supported statement
     */
    public synchronized void executeSql(String sqlScript) {
        requireRunning();
        backend.execute(sqlScript);
        store.addScript(sqlScript);
        engine.catalogChanged();
    }

    /** Registers an RSA public key (PEM or bare base64) for a user, in addition to keys set by SQL. */
    public void registerPublicKey(String user, String publicKeyPem) {
        auth.registerPublicKey(user, publicKeyPem);
    }

    /**
     * The columns of table {@code database.schema.table} as the catalog defines them, in the model the relay's
     * pre-send row check uses ({@code RowChecker.of(table, emulator.columns(...))}). Names follow Snowflake's
     * identifier rules: unquoted is upper-cased, {@code "quoted"} is exact.
     *
     * @throws IllegalArgumentException naming the table when it does not exist
     */
    public List<Column> columns(String database, String schema, String table) {
        requireRunning();
        return backend.columns(database, schema, table).orElseThrow(() -> new IllegalArgumentException(
                "table " + database + "." + schema + "." + table + " does not exist; create it with executeSql"));
    }

    /** Runs SQL against the store (SQLite dialect) and returns the rows as column → value maps. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        requireRunning();
        return store.query(sql, args);
    }

    /**
     * The first column of the first row of a query as a long.
     *
     * @throws IllegalStateException if there is no row or the value is not a number
     */
    public long queryForLong(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        if (rows.isEmpty()) {
            throw new IllegalStateException("query returned no row: " + sql);
        }
        Object v = rows.get(0).values().iterator().next();
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("query's first value is not a number but " + v + ": " + sql);
        }
        return n.longValue();
    }

    /**
     * The committed offset token of a channel as the service would report it; empty if the channel does not exist
     * or has no committed token. Names follow Snowflake identifier rules for database, schema and pipe; the
     * channel name is exact.
     */
    public Optional<String> committedOffsetToken(String database, String schema, String pipe, String channel) {
        requireRunning();
        return engine.channelView(database, schema, pipe, channel).map(ChannelSnapshot::committedOffsetToken);
    }

    /** The channel's stored state (counters, error fields, sequencer); empty if it does not exist. */
    public Optional<ChannelSnapshot> channel(String database, String schema, String pipe, String channel) {
        requireRunning();
        return engine.channelView(database, schema, pipe, channel);
    }

    /** The faults to inject; see {@link Fault}. */
    public FaultInjector faults() {
        return faults;
    }

    /**
     * Stops committing: appends are still accepted, their rows stay pending, committed tokens stop moving (as when
     * Snowflake's ingestion falls behind). Commits resume after {@code duration} or on {@link #resumeCommits()}.
     */
    public void stallCommits(Duration duration) {
        requireRunning();
        engine.stallCommits(duration);
    }

    /** Resumes commits stalled by {@link #stallCommits(Duration)}. */
    public void resumeCommits() {
        requireRunning();
        engine.resumeCommits();
    }

    /**
     * Invalidates the currently open instance of a channel, as Snowflake does when it cannot continue a channel
     * (internal errors, a table change): its next append gets HTTP 400 {@code ERR_CHANNEL_MUST_BE_REOPENED}, which
     * the SDK turns into {@code InvalidChannelError}; what it had appended but not committed is discarded. A
     * re-open gives a valid instance again.
     *
     * @return false if no such channel exists
     */
    public boolean invalidateChannel(String database, String schema, String pipe, String channel) {
        requireRunning();
        return engine.invalidate(database, schema, pipe, channel);
    }

    /**
     * Sets the committed offset token of a channel, possibly backwards (no real service does this: it is for
     * regression tests of clients that must detect it).
     *
     * @return false if no such channel exists
     */
    public boolean rewindCommittedToken(String database, String schema, String pipe, String channel, String token) {
        requireRunning();
        return engine.rewindCommittedToken(database, schema, pipe, channel, token);
    }

    /**
     * Restarts the service on the same port and store, like a crash and restart of Snowflake's ingestion: committed
     * rows, tokens, counters and the catalog survive; appended but uncommitted rows are lost; every channel
     * instance opened before must be re-opened (its next append gets 400 {@code ERR_CHANNEL_MUST_BE_REOPENED_DUE_TO_ROW_SEQ_GAP},
     * not the stale-sequencer code, because nobody else opened the channel;
     * the SDK then reports {@code InvalidChannelError}); scoped tokens stay valid. With a file store the file is
     * closed and opened again. Faults and recorded requests are kept.
     */
    public synchronized void restart() {
        requireRunning();
        http.close();
        engine.close();
        if (config.store != null) {
            store.close();
            store = null;
        }
        boot(port);
        log.info("snowpipe-emulator - restarted on {}", url());
    }

    /**
     * The next recorded request, waiting up to {@code timeout}; null if none arrived. Requests are recorded
     * unless {@link Builder#recordRequests(boolean)} or {@link #recordRequests(boolean)} turned it off; at most
     * {@link #MAX_RECORDED_REQUESTS} requests and {@link #MAX_RECORDED_BYTES} body bytes are kept (oldest dropped).
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return taken(recorded.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private RecordedRequest taken(RecordedRequest r) {
        if (r != null) {
            recordedBytes.addAndGet(-r.body().length);
        }
        return r;
    }

    /** The next recorded request of {@code endpoint}, discarding others; null if none arrived within the timeout. */
    public RecordedRequest takeRequest(Endpoint endpoint, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            RecordedRequest r = taken(recorded.pollFirst(Math.max(0, left), TimeUnit.NANOSECONDS));
            if (r == null || endpoint.matches(r.endpoint())) {
                return r;
            }
        }
    }

    /** Drops every recorded request. */
    public void clearRecordedRequests() {
        while (taken(recorded.pollFirst()) != null) {
            // drained
        }
    }

    /** Turns request recording on or off (off for benchmarks: bodies are not copied). */
    public void recordRequests(boolean on) {
        this.recording = on;
    }

    /** Requests received at {@code endpoint} since start (counted even when not recorded). */
    public long requestCount(Endpoint endpoint) {
        if (endpoint == Endpoint.ANY) {
            return counts.values().stream().mapToLong(LongAdder::sum).sum();
        }
        return counts.get(endpoint).sum();
    }

    /** Rows committed since the last (re)start. */
    public long rowsCommitted() {
        requireRunning();
        return engine.rowsCommitted();
    }

    /** Stops serving and closes the store (an in-memory store is gone). Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        if (was == State.NEW) {
            return;
        }
        try {
            http.close();
        } finally {
            engine.close();
            store.close();
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("emulator is " + state + "; call start() first");
        }
    }

    @Override
    public String toString() {
        return "SnowpipeEmulator[" + (state == State.RUNNING ? url() : state) + ", account=" + config.account
                + ", user=" + config.user + ", store=" + (config.store == null ? "memory" : config.store) + "]";
    }

    private final class FacadeHooks implements Hooks {
        @Override
        public Fault fault(Endpoint endpoint) {
            return faults.take(endpoint);
        }

        @Override
        public boolean recording() {
            return recording;
        }

        @Override
        public void record(RecordedRequest request) {
            recorded.offerLast(request);
            recordedBytes.addAndGet(request.body().length);
            while (recorded.size() > MAX_RECORDED_REQUESTS || recordedBytes.get() > MAX_RECORDED_BYTES) {
                if (taken(recorded.pollFirst()) == null) {
                    break;
                }
            }
        }

        @Override
        public void count(Endpoint endpoint) {
            counts.get(endpoint).increment();
        }
    }

    /**
     * Configuration of a {@link SnowpipeEmulator}; {@link #build()} validates, {@link #start()} builds and starts.
     * Not thread-safe.
     */
    public static final class Builder {
        private int port;
        private Path store;
        private Duration commitLag = DEFAULT_COMMIT_LAG;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private final List<String> scripts = new ArrayList<>();
        private String account = DEFAULT_ACCOUNT;
        private String user = DEFAULT_USER;
        private String role = DEFAULT_ROLE;
        private boolean recordRequests = true;

        private Builder() {
        }

        /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** SQLite file of the store (created if missing); default: in memory. */
        public Builder store(Path file) {
            this.store = file;
            return this;
        }

        /** Delay between an append and its commit; default {@link #DEFAULT_COMMIT_LAG}, 0 … 1 h. */
        public Builder commitLag(Duration value) {
            this.commitLag = Objects.requireNonNull(value, "commitLag");
            return this;
        }

        /**
         * The flush period asked of the SDK through pipe-info ({@code max_append_request_buffer_duration_ms});
         * default {@link #DEFAULT_FLUSH_INTERVAL}, 1 ms … 10 s.
         */
        public Builder flushInterval(Duration value) {
            this.flushInterval = Objects.requireNonNull(value, "flushInterval");
            return this;
        }

        /** Bound of uncommitted appended bytes, above which appends get 503; default 64 MiB. */
        public Builder maxPendingBytes(long value) {
            this.maxPendingBytes = value;
            return this;
        }

        /** A SQL script run at start unless this store already ran the identical script (idempotent restarts). */
        public Builder sql(String script) {
            scripts.add(Objects.requireNonNull(script, "sql"));
            return this;
        }

        /** A SQL file, read now, run like {@link #sql(String)}. */
        public Builder sqlFile(Path file) {
            try {
                return sql(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read SQL file " + file, e);
            }
        }

        /** Account name; default {@link #DEFAULT_ACCOUNT}. */
        public Builder account(String value) {
            this.account = Objects.requireNonNull(value, "account");
            return this;
        }

        /** User whose key pair the emulator generates and registers; default {@link #DEFAULT_USER}. */
        public Builder user(String value) {
            this.user = Objects.requireNonNull(value, "user");
            return this;
        }

        /** Role put in {@link SnowpipeEmulator#clientProperties()}; default {@link #DEFAULT_ROLE}. */
        public Builder role(String value) {
            this.role = Objects.requireNonNull(value, "role");
            return this;
        }

        /** Whether requests are recorded for {@link SnowpipeEmulator#takeRequest}; default true. */
        public Builder recordRequests(boolean value) {
            this.recordRequests = value;
            return this;
        }

        /**
         * Validates and creates the emulator (not started).
         *
         * @throws IllegalArgumentException naming the field and the allowed range
         */
        public SnowpipeEmulator build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535, was " + port);
            }
            if (commitLag.isNegative() || commitLag.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("commitLag must be within 0..1h, was " + commitLag);
            }
            if (flushInterval.toMillis() < 1 || flushInterval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("flushInterval must be within 1ms..10s, was " + flushInterval);
            }
            if (maxPendingBytes < 1024 * 1024) {
                throw new IllegalArgumentException("maxPendingBytes must be >= 1 MiB, was " + maxPendingBytes);
            }
            if (account.isBlank() || !account.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("account must be letters, digits, '_', '-', '.', was '" + account + "'");
            }
            if (user.isBlank()) {
                throw new IllegalArgumentException("user must not be blank");
            }
            Builder copy = new Builder();
            copy.port = port;
            copy.store = store;
            copy.commitLag = commitLag;
            copy.flushInterval = flushInterval;
            copy.maxPendingBytes = maxPendingBytes;
            copy.scripts.addAll(scripts);
            copy.account = account;
            copy.user = user;
            copy.role = role;
            copy.recordRequests = recordRequests;
            return new SnowpipeEmulator(copy);
        }

        /** {@link #build()} then {@link SnowpipeEmulator#start()}. */
        public SnowpipeEmulator start() {
            return build().start();
        }
    }
}
