package io.snowpiperelay.spring;

import io.snowpiperelay.RowErrorPolicy;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import io.snowpiperelay.postgres.RelayFleet;
import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.SynchronousMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The relay's settings under {@code snowpipe.relay}: the SDK profile, the channels and their sources, and the
 * runner's knobs (the names and defaults of {@link RunnerConfig}). Bound by Spring Boot; checked when the
 * relay is built, which fails the start with a {@link RelayConfigurationException} naming the property.
 *
 * <pre>{@code
 * snowpipe:
 *   relay:
 *     profile:
 *       path: /etc/relay/profile.json
 *     channels:
 *       - name: TICKET_1
 *         table: SHOP.PUBLIC.TICKET
 *         source: sqlite
 *         sqlite:
 *           path: ./shop.db
 *           stream: tickets
 * }</pre>
 *
 * <p>Mutable JavaBean for Spring's binder; not thread-safe. The private key is never a property value: it
 * comes from the profile file, a key file, or an environment variable named here.
 */
@ConfigurationProperties(prefix = SnowpipeRelayProperties.PREFIX)
public class SnowpipeRelayProperties {
    /** The prefix of every property of the relay. */
    public static final String PREFIX = "snowpipe.relay";
    /** Whether the relay starts with the application context by default. */
    public static final boolean DEFAULT_AUTO_STARTUP = true;

    /** Whether the relay is configured at all; false leaves the starter inert. */
    private boolean enabled = true;

    /** Whether the relay starts with the application context (false: start the SnowpipeRelay bean yourself). */
    private boolean autoStartup = DEFAULT_AUTO_STARTUP;

    /** Prefix of the SDK client names (prefix-PIPE), shown in Snowflake's telemetry; default relay-RANDOM. */
    private String clientNamePrefix;

    /** How to connect to Snowflake. */
    private final Profile profile = new Profile();

    /** The channels to relay, one writer each. */
    private final List<Channel> channels = new ArrayList<>();

    /** The runner's settings, shared by every channel. */
    private final Runner runner = new Runner();

    /** Whether and how the PostgreSQL-outbox channels run as a member of a fleet of relays. */
    private final Fleet fleet = new Fleet();

    /** @return whether the relay is configured at all */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the relay is configured at all */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether the relay starts with the application context */
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** @param autoStartup whether the relay starts with the application context */
    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    /** @return the prefix of the SDK client names, or {@code null} for a random one */
    public String getClientNamePrefix() {
        return clientNamePrefix;
    }

    /** @param clientNamePrefix the prefix of the SDK client names */
    public void setClientNamePrefix(String clientNamePrefix) {
        this.clientNamePrefix = clientNamePrefix;
    }

    /** @return how to connect to Snowflake */
    public Profile getProfile() {
        return profile;
    }

    /** @return the channels to relay */
    public List<Channel> getChannels() {
        return channels;
    }

    /** @return the runner's settings */
    public Runner getRunner() {
        return runner;
    }

    /** @return the fleet's settings */
    public Fleet getFleet() {
        return fleet;
    }

    /**
     * The fleet ({@link RelayFleet}): with {@code enabled}, every {@code source: postgres} channel becomes a stream
     * of one fleet member, and the application's instances split the stream's partitions among themselves through
     * leases in the same PostgreSQL (docs/scaling-out.md). The timings default to {@link RelayFleet}'s
     * {@code DEFAULT_*} constants.
     */
    public static class Fleet {
        /** Whether the PostgreSQL-outbox channels run as a fleet member instead of one channel each. */
        private boolean enabled;

        /** This member's id, unique in the fleet, 1 to 100 of [A-Za-z0-9_.:@-]; default host-pid-random. */
        private String memberId;

        /** How long a lease lasts after its last renewal, by the database's clock. */
        private Duration leaseDuration = RelayFleet.DEFAULT_LEASE_DURATION;

        /** How often the member renews its leases and rebalances; times 3 must stay below lease-duration - renew-margin. */
        private Duration heartbeatInterval = RelayFleet.DEFAULT_HEARTBEAT_INTERVAL;

        /** How long before the lease's expiry the member stops writing to a partition it could not renew. */
        private Duration renewMargin = RelayFleet.DEFAULT_RENEW_MARGIN;

        /** @return whether the PostgreSQL-outbox channels run as a fleet member */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the PostgreSQL-outbox channels run as a fleet member */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return this member's id, or {@code null} for RelayFleet's default */
        public String getMemberId() {
            return memberId;
        }

        /** @param memberId this member's id, unique in the fleet */
        public void setMemberId(String memberId) {
            this.memberId = memberId;
        }

        /** @return how long a lease lasts after its last renewal */
        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        /** @param v how long a lease lasts after its last renewal */
        public void setLeaseDuration(Duration v) {
            this.leaseDuration = v;
        }

        /** @return how often the member renews and rebalances */
        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        /** @param v how often the member renews and rebalances */
        public void setHeartbeatInterval(Duration v) {
            this.heartbeatInterval = v;
        }

        /** @return how long before the expiry the member stops writing */
        public Duration getRenewMargin() {
            return renewMargin;
        }

        /** @param v how long before the expiry the member stops writing */
        public void setRenewMargin(Duration v) {
            this.renewMargin = v;
        }
    }

    /**
     * The SDK profile: a {@code profile.json} file, or its fields one by one with the private key from a file or
     * an environment variable. Fields set here override the file's.
     */
    public static class Profile {
        /** Path of the SDK's profile.json (user, account, url, role, private_key...). */
        private Path path;

        /** The Snowflake user (overrides the profile file's). */
        private String user;

        /** The account identifier, e.g. myorg-myaccount (overrides the profile file's). */
        private String account;

        /** The account URL, e.g. https://myorg-myaccount.snowflakecomputing.com (overrides the profile file's). */
        private String url;

        /** The role (overrides the profile file's). */
        private String role;

        /** A file holding the private key, PKCS#8 PEM. */
        private Path privateKeyFile;

        /** The name of an environment variable holding the private key, PKCS#8 PEM text (not the key itself). */
        private String privateKeyEnv;

        /** Any other SDK client property, passed through unchanged, e.g. max_buffered_kb_for_rowset_mode. */
        private final Map<String, String> properties = new LinkedHashMap<>();

        /** @return the profile file */
        public Path getPath() {
            return path;
        }

        /** @param path the profile file */
        public void setPath(Path path) {
            this.path = path;
        }

        /** @return the user */
        public String getUser() {
            return user;
        }

        /** @param user the user */
        public void setUser(String user) {
            this.user = user;
        }

        /** @return the account identifier */
        public String getAccount() {
            return account;
        }

        /** @param account the account identifier */
        public void setAccount(String account) {
            this.account = account;
        }

        /** @return the account URL */
        public String getUrl() {
            return url;
        }

        /** @param url the account URL */
        public void setUrl(String url) {
            this.url = url;
        }

        /** @return the role */
        public String getRole() {
            return role;
        }

        /** @param role the role */
        public void setRole(String role) {
            this.role = role;
        }

        /** @return the private key file */
        public Path getPrivateKeyFile() {
            return privateKeyFile;
        }

        /** @param privateKeyFile the private key file */
        public void setPrivateKeyFile(Path privateKeyFile) {
            this.privateKeyFile = privateKeyFile;
        }

        /** @return the name of the environment variable holding the private key */
        public String getPrivateKeyEnv() {
            return privateKeyEnv;
        }

        /** @param privateKeyEnv the name of the environment variable holding the private key */
        public void setPrivateKeyEnv(String privateKeyEnv) {
            this.privateKeyEnv = privateKeyEnv;
        }

        /** @return other SDK client properties */
        public Map<String, String> getProperties() {
            return properties;
        }
    }

    /** Where a channel's rows come from. */
    public enum SourceType {
        /** A stream of a SQLite outbox file ({@code sqlite.path}, {@code sqlite.stream}). */
        SQLITE,
        /** An {@code OffsetSource} bean of the application, by name ({@code bean}). */
        BEAN,
        /** A stream of the PostgreSQL outbox in the application's own {@code DataSource} ({@code postgres.stream}). */
        POSTGRES
    }

    /** One channel: its name, the pipe it writes through and its source. */
    public static class Channel {
        /** The channel name; one writer per channel, e.g. TICKET_1. Unique among the channels. */
        private String name;

        /** The pipe, DATABASE.SCHEMA.PIPE. Set this or table. */
        private String pipe;

        /** The table, DATABASE.SCHEMA.TABLE, written through its default pipe TABLE-STREAMING. Set this or pipe. */
        private String table;

        /**
         * Where the rows come from: sqlite (an outbox file), postgres (the outbox in the application's DataSource)
         * or bean (an OffsetSource bean).
         */
        private SourceType source;

        /** The SQLite outbox, when source is sqlite. */
        private final Sqlite sqlite = new Sqlite();

        /** The PostgreSQL outbox, when source is postgres. */
        private final Postgres postgres = new Postgres();

        /** The name of the OffsetSource bean, when source is bean. */
        private String bean;

        /** @return the channel name */
        public String getName() {
            return name;
        }

        /** @param name the channel name */
        public void setName(String name) {
            this.name = name;
        }

        /** @return the pipe, DATABASE.SCHEMA.PIPE */
        public String getPipe() {
            return pipe;
        }

        /** @param pipe the pipe, DATABASE.SCHEMA.PIPE */
        public void setPipe(String pipe) {
            this.pipe = pipe;
        }

        /** @return the table, DATABASE.SCHEMA.TABLE */
        public String getTable() {
            return table;
        }

        /** @param table the table, DATABASE.SCHEMA.TABLE */
        public void setTable(String table) {
            this.table = table;
        }

        /** @return where the rows come from */
        public SourceType getSource() {
            return source;
        }

        /** @param source where the rows come from */
        public void setSource(SourceType source) {
            this.source = source;
        }

        /** @return the SQLite outbox settings */
        public Sqlite getSqlite() {
            return sqlite;
        }

        /** @return the PostgreSQL outbox settings */
        public Postgres getPostgres() {
            return postgres;
        }

        /** @return the name of the OffsetSource bean */
        public String getBean() {
            return bean;
        }

        /** @param bean the name of the OffsetSource bean */
        public void setBean(String bean) {
            this.bean = bean;
        }
    }

    /** A stream of a SQLite outbox file. Channels on the same file share one open outbox. */
    public static class Sqlite {
        /** The outbox file; created if missing. */
        private Path path;

        /** The stream (outbox table outbox_STREAM), [A-Za-z][A-Za-z0-9_]{0,63}, case-insensitive. */
        private String stream;

        /** Durability of the outbox's commits: normal (survives a process crash) or full (also power loss). */
        private SynchronousMode synchronousMode = OutboxConfig.DEFAULT_SYNCHRONOUS_MODE;

        /** @return the outbox file */
        public Path getPath() {
            return path;
        }

        /** @param path the outbox file */
        public void setPath(Path path) {
            this.path = path;
        }

        /** @return the stream */
        public String getStream() {
            return stream;
        }

        /** @param stream the stream */
        public void setStream(String stream) {
            this.stream = stream;
        }

        /** @return the durability of the outbox's commits */
        public SynchronousMode getSynchronousMode() {
            return synchronousMode;
        }

        /** @param synchronousMode the durability of the outbox's commits */
        public void setSynchronousMode(SynchronousMode synchronousMode) {
            this.synchronousMode = synchronousMode;
        }
    }

    /**
     * A stream of the PostgreSQL outbox in the application's own database, so the application appends inside its
     * own transactions. Channels on one DataSource share one outbox.
     */
    public static class Postgres {
        /** The stream the application appends to, [A-Za-z][A-Za-z0-9_]{0,63}. */
        private String stream;

        /** The name of the DataSource bean; needed only when the application has several. */
        private String dataSource;

        /**
         * The stream's partitions, fixed for its life and the same in every producer; more than 1 needs
         * snowpipe.relay.fleet.enabled=true (one channel per partition, named NAME_P0, NAME_P1, ...).
         */
        private int partitions = PostgresOutboxConfig.DEFAULT_PARTITIONS;

        /** @return the stream's partition count */
        public int getPartitions() {
            return partitions;
        }

        /** @param partitions the stream's partition count */
        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        /** @return the stream */
        public String getStream() {
            return stream;
        }

        /** @param stream the stream */
        public void setStream(String stream) {
            this.stream = stream;
        }

        /** @return the name of the DataSource bean, or {@code null} for the only one */
        public String getDataSource() {
            return dataSource;
        }

        /** @param dataSource the name of the DataSource bean */
        public void setDataSource(String dataSource) {
            this.dataSource = dataSource;
        }
    }

    /**
     * The {@link RunnerConfig} knobs, with its names (in kebab case) and its defaults: see
     * {@code docs/configuration.md} for what each does and its range.
     */
    public static class Runner {
        /** Rows read from the source per getData call. */
        private int maxBatchRows = RunnerConfig.DEFAULT_MAX_BATCH_ROWS;
        /** Rows per appendRows call at most. */
        private int maxAppendRows = RunnerConfig.DEFAULT_MAX_APPEND_ROWS;
        /** Payload bytes per appendRows call at most (one larger row goes alone). */
        private int maxAppendBytes = RunnerConfig.DEFAULT_MAX_APPEND_BYTES;
        /** A record whose payload is larger than this many bytes is dead-lettered instead of sent. */
        private int maxRowBytes = RunnerConfig.DEFAULT_MAX_ROW_BYTES;
        /** Rows appended but not yet confirmed as committed, at most; reading pauses at the limit. */
        private long maxUncommittedRows = RunnerConfig.DEFAULT_MAX_UNCOMMITTED_ROWS;
        /** Payload bytes appended but not yet confirmed as committed, at most. */
        private long maxUncommittedBytes = RunnerConfig.DEFAULT_MAX_UNCOMMITTED_BYTES;
        /** How often the committed token is read. */
        private Duration commitPollInterval = RunnerConfig.DEFAULT_COMMIT_POLL_INTERVAL;
        /** First wait after the source returned nothing; doubles up to idle-backoff-max. */
        private Duration idleBackoffInitial = RunnerConfig.DEFAULT_IDLE_BACKOFF_INITIAL;
        /** Longest wait between reads of an idle source. */
        private Duration idleBackoffMax = RunnerConfig.DEFAULT_IDLE_BACKOFF_MAX;
        /** First wait before reopening a failed channel; grows exponentially. */
        private Duration reopenBackoffInitial = RunnerConfig.DEFAULT_REOPEN_BACKOFF_INITIAL;
        /** Longest wait between reopen attempts. */
        private Duration reopenBackoffMax = RunnerConfig.DEFAULT_REOPEN_BACKOFF_MAX;
        /** Failed channel opens in a row before the channel gives up. */
        private int maxReopenAttempts = RunnerConfig.DEFAULT_MAX_REOPEN_ATTEMPTS;
        /** A channel invalidated again within this time after a reopen counts towards fencing-reopen-limit. */
        private Duration fencingWindow = RunnerConfig.DEFAULT_FENCING_WINDOW;
        /** Quick invalidations in a row that mean another writer holds the channel. */
        private int fencingReopenLimit = RunnerConfig.DEFAULT_FENCING_REOPEN_LIMIT;
        /** Longest wait before retrying an append the SDK refused as saturated. */
        private Duration backpressureBackoffMax = RunnerConfig.DEFAULT_BACKPRESSURE_BACKOFF_MAX;
        /** How long the SDK may stay saturated for one batch before the channel gives up. */
        private Duration backpressureTimeout = RunnerConfig.DEFAULT_BACKPRESSURE_TIMEOUT;
        /** Failed source reads or deletes in a row before the channel gives up. */
        private int sourceRetryAttempts = RunnerConfig.DEFAULT_SOURCE_RETRY_ATTEMPTS;
        /** Longest wait between source retries. */
        private Duration sourceRetryBackoffMax = RunnerConfig.DEFAULT_SOURCE_RETRY_BACKOFF_MAX;
        /** How long stopping waits for appended rows to be committed: the bound of the drain at shutdown. */
        private Duration closeTimeout = RunnerConfig.DEFAULT_CLOSE_TIMEOUT;
        /** What to do when the service reports rejected rows. */
        private RowErrorPolicy rowErrorPolicy = RunnerConfig.DEFAULT_ROW_ERROR_POLICY;
        /** Channels of the quarantine pipe used side by side to find rejected rows. */
        private int quarantineChannels = RunnerConfig.DEFAULT_QUARANTINE_CHANNELS;
        /** How long one quarantine round may take to commit. */
        private Duration quarantineRoundTimeout = RunnerConfig.DEFAULT_QUARANTINE_ROUND_TIMEOUT;

        /**
         * The runner settings these values make.
         *
         * @throws IllegalArgumentException from {@link RunnerConfig.Builder#build()}, naming the field
         */
        public RunnerConfig toRunnerConfig() {
            return RunnerConfig.builder()
                    .maxBatchRows(maxBatchRows)
                    .maxAppendRows(maxAppendRows)
                    .maxAppendBytes(maxAppendBytes)
                    .maxRowBytes(maxRowBytes)
                    .maxUncommittedRows(maxUncommittedRows)
                    .maxUncommittedBytes(maxUncommittedBytes)
                    .commitPollInterval(commitPollInterval)
                    .idleBackoffInitial(idleBackoffInitial)
                    .idleBackoffMax(idleBackoffMax)
                    .reopenBackoffInitial(reopenBackoffInitial)
                    .reopenBackoffMax(reopenBackoffMax)
                    .maxReopenAttempts(maxReopenAttempts)
                    .fencingWindow(fencingWindow)
                    .fencingReopenLimit(fencingReopenLimit)
                    .backpressureBackoffMax(backpressureBackoffMax)
                    .backpressureTimeout(backpressureTimeout)
                    .sourceRetryAttempts(sourceRetryAttempts)
                    .sourceRetryBackoffMax(sourceRetryBackoffMax)
                    .closeTimeout(closeTimeout)
                    .rowErrorPolicy(rowErrorPolicy)
                    .quarantineChannels(quarantineChannels)
                    .quarantineRoundTimeout(quarantineRoundTimeout)
                    .build();
        }

        /** @return rows per source read */
        public int getMaxBatchRows() {
            return maxBatchRows;
        }

        /** @param v rows per source read */
        public void setMaxBatchRows(int v) {
            this.maxBatchRows = v;
        }

        /** @return rows per append call at most */
        public int getMaxAppendRows() {
            return maxAppendRows;
        }

        /** @param v rows per append call at most */
        public void setMaxAppendRows(int v) {
            this.maxAppendRows = v;
        }

        /** @return bytes per append call at most */
        public int getMaxAppendBytes() {
            return maxAppendBytes;
        }

        /** @param v bytes per append call at most */
        public void setMaxAppendBytes(int v) {
            this.maxAppendBytes = v;
        }

        /** @return the largest payload sent, in bytes */
        public int getMaxRowBytes() {
            return maxRowBytes;
        }

        /** @param v the largest payload sent, in bytes */
        public void setMaxRowBytes(int v) {
            this.maxRowBytes = v;
        }

        /** @return uncommitted rows at most */
        public long getMaxUncommittedRows() {
            return maxUncommittedRows;
        }

        /** @param v uncommitted rows at most */
        public void setMaxUncommittedRows(long v) {
            this.maxUncommittedRows = v;
        }

        /** @return uncommitted bytes at most */
        public long getMaxUncommittedBytes() {
            return maxUncommittedBytes;
        }

        /** @param v uncommitted bytes at most */
        public void setMaxUncommittedBytes(long v) {
            this.maxUncommittedBytes = v;
        }

        /** @return the committed-token read interval */
        public Duration getCommitPollInterval() {
            return commitPollInterval;
        }

        /** @param v the committed-token read interval */
        public void setCommitPollInterval(Duration v) {
            this.commitPollInterval = v;
        }

        /** @return the first idle wait */
        public Duration getIdleBackoffInitial() {
            return idleBackoffInitial;
        }

        /** @param v the first idle wait */
        public void setIdleBackoffInitial(Duration v) {
            this.idleBackoffInitial = v;
        }

        /** @return the longest idle wait */
        public Duration getIdleBackoffMax() {
            return idleBackoffMax;
        }

        /** @param v the longest idle wait */
        public void setIdleBackoffMax(Duration v) {
            this.idleBackoffMax = v;
        }

        /** @return the first reopen wait */
        public Duration getReopenBackoffInitial() {
            return reopenBackoffInitial;
        }

        /** @param v the first reopen wait */
        public void setReopenBackoffInitial(Duration v) {
            this.reopenBackoffInitial = v;
        }

        /** @return the longest reopen wait */
        public Duration getReopenBackoffMax() {
            return reopenBackoffMax;
        }

        /** @param v the longest reopen wait */
        public void setReopenBackoffMax(Duration v) {
            this.reopenBackoffMax = v;
        }

        /** @return failed opens in a row before giving up */
        public int getMaxReopenAttempts() {
            return maxReopenAttempts;
        }

        /** @param v failed opens in a row before giving up */
        public void setMaxReopenAttempts(int v) {
            this.maxReopenAttempts = v;
        }

        /** @return the fencing window */
        public Duration getFencingWindow() {
            return fencingWindow;
        }

        /** @param v the fencing window */
        public void setFencingWindow(Duration v) {
            this.fencingWindow = v;
        }

        /** @return quick invalidations in a row that mean "fenced" */
        public int getFencingReopenLimit() {
            return fencingReopenLimit;
        }

        /** @param v quick invalidations in a row that mean "fenced" */
        public void setFencingReopenLimit(int v) {
            this.fencingReopenLimit = v;
        }

        /** @return the longest wait before retrying a saturated append */
        public Duration getBackpressureBackoffMax() {
            return backpressureBackoffMax;
        }

        /** @param v the longest wait before retrying a saturated append */
        public void setBackpressureBackoffMax(Duration v) {
            this.backpressureBackoffMax = v;
        }

        /** @return how long one batch may meet saturation */
        public Duration getBackpressureTimeout() {
            return backpressureTimeout;
        }

        /** @param v how long one batch may meet saturation */
        public void setBackpressureTimeout(Duration v) {
            this.backpressureTimeout = v;
        }

        /** @return source failures in a row before giving up */
        public int getSourceRetryAttempts() {
            return sourceRetryAttempts;
        }

        /** @param v source failures in a row before giving up */
        public void setSourceRetryAttempts(int v) {
            this.sourceRetryAttempts = v;
        }

        /** @return the longest wait between source retries */
        public Duration getSourceRetryBackoffMax() {
            return sourceRetryBackoffMax;
        }

        /** @param v the longest wait between source retries */
        public void setSourceRetryBackoffMax(Duration v) {
            this.sourceRetryBackoffMax = v;
        }

        /** @return the bound of the drain at shutdown */
        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        /** @param v the bound of the drain at shutdown */
        public void setCloseTimeout(Duration v) {
            this.closeTimeout = v;
        }

        /** @return the reaction to rejected rows */
        public RowErrorPolicy getRowErrorPolicy() {
            return rowErrorPolicy;
        }

        /** @param v the reaction to rejected rows */
        public void setRowErrorPolicy(RowErrorPolicy v) {
            this.rowErrorPolicy = v;
        }

        /** @return quarantine channels used side by side */
        public int getQuarantineChannels() {
            return quarantineChannels;
        }

        /** @param v quarantine channels used side by side */
        public void setQuarantineChannels(int v) {
            this.quarantineChannels = v;
        }

        /** @return how long one quarantine round may take */
        public Duration getQuarantineRoundTimeout() {
            return quarantineRoundTimeout;
        }

        /** @param v how long one quarantine round may take */
        public void setQuarantineRoundTimeout(Duration v) {
            this.quarantineRoundTimeout = v;
        }
    }
}
