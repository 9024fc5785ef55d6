package io.snowpiperelay.postgres;

import io.snowpiperelay.postgres.internal.StreamNames;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings of a {@link PostgresOutbox}. Immutable and thread-safe; build one with {@link #builder()} or take
 * {@link #defaults()}. Every default is a {@code DEFAULT_*} constant; {@link Builder#build()} validates and throws
 * {@link IllegalArgumentException} naming the field, the bad value and the allowed range. No secret lives here: the
 * connection comes from the {@link javax.sql.DataSource} handed to {@link PostgresOutbox#open}.
 *
 * <pre>{@code
 * PostgresOutboxConfig config = PostgresOutboxConfig.builder()
 *         .schema("billing")            // the tables live next to the application's own
 *         .createTables(false)          // a migration tool (Flyway, Liquibase) created them
 *         .build();
 * }</pre>
 */
public final class PostgresOutboxConfig {

    /** Lower-case SQL identifiers, so that the quoted and the unquoted spelling name the same object. */
    public static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    /** The schema of the outbox tables. */
    public static final String DEFAULT_SCHEMA = "public";
    /**
     * The name of the outbox table; the relay's tables are {@code <prefix>_stream} and {@code <prefix>_dead_letter}.
     */
    public static final String DEFAULT_TABLE_PREFIX = "snowpipe_outbox";
    /** Create (or complete) the tables on {@link PostgresOutbox#open} when they are missing. */
    public static final boolean DEFAULT_CREATE_TABLES = true;
    /**
     * Rows removed per delete transaction: short enough to keep each delete's locks and WAL burst small, large
     * enough that a backlog is cleaned up in few round trips.
     */
    public static final int DEFAULT_DELETE_CHUNK_ROWS = 10_000;
    /** The largest allowed {@link #deleteChunkRows()}. */
    public static final int MAX_DELETE_CHUNK_ROWS = 1_000_000;
    /** Partitions of a stream not named in {@link Builder#partitions(String, int)}: one, as before partitioning. */
    public static final int DEFAULT_PARTITIONS = 1;
    /** The most partitions a stream may have (each is a lease, a relay session and a channel). */
    public static final int MAX_PARTITIONS = 1024;

    private static final PostgresOutboxConfig DEFAULTS = new Builder().build();

    private final String schema;
    private final String tablePrefix;
    private final boolean createTables;
    private final int deleteChunkRows;
    /** Streams with other than {@link #DEFAULT_PARTITIONS} partitions; sorted, unmodifiable. */
    private final Map<String, Integer> partitionsByStream;

    private PostgresOutboxConfig(Builder builder) {
        this.schema = builder.schema;
        this.tablePrefix = builder.tablePrefix;
        this.createTables = builder.createTables;
        this.deleteChunkRows = builder.deleteChunkRows;
        this.partitionsByStream = Collections.unmodifiableMap(new TreeMap<>(builder.partitionsByStream));
    }

    /** The configuration with every field at its {@code DEFAULT_*} value. */
    public static PostgresOutboxConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        return new Builder().schema(schema).tablePrefix(tablePrefix).createTables(createTables)
                .deleteChunkRows(deleteChunkRows).partitionsByStream(partitionsByStream);
    }

    /** The schema that holds the outbox tables. */
    public String schema() {
        return schema;
    }

    /** The outbox table's name, and the prefix of the relay's two tables. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /**
     * Whether {@link PostgresOutbox#open} creates missing tables (needs {@code CREATE} on the schema). With
     * {@code false} it only checks that they exist, for deployments where a migration tool owns the DDL.
     */
    public boolean createTables() {
        return createTables;
    }

    /** The most rows one delete transaction of {@link PostgresOffsetSource#deleteData(long)} removes. */
    public int deleteChunkRows() {
        return deleteChunkRows;
    }

    /**
     * The number of partitions of {@code stream}: {@link #DEFAULT_PARTITIONS} unless set with
     * {@link Builder#partitions(String, int)}. A row's partition is fixed when it is appended (see
     * {@link PostgresOutbox#partitionOf(String, int)}); each partition has its own offsets and its own channel
     * ({@code <TABLE>_P<n>}, see {@link RelayFleet}). Every producer and every relay of an outbox must use the same
     * count: the relay fleet refuses to start when the lease table shows another.
     */
    public int partitions(String stream) {
        return partitionsByStream.getOrDefault(stream, DEFAULT_PARTITIONS);
    }

    /** The streams with a partition count set explicitly, and their counts; sorted by stream name. */
    public Map<String, Integer> partitionsByStream() {
        return partitionsByStream;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PostgresOutboxConfig that)) {
            return false;
        }
        return createTables == that.createTables && deleteChunkRows == that.deleteChunkRows
                && schema.equals(that.schema) && tablePrefix.equals(that.tablePrefix)
                && partitionsByStream.equals(that.partitionsByStream);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, tablePrefix, createTables, deleteChunkRows, partitionsByStream);
    }

    @Override
    public String toString() {
        return "PostgresOutboxConfig[schema=" + schema + ", tablePrefix=" + tablePrefix
                + ", createTables=" + createTables + ", deleteChunkRows=" + deleteChunkRows
                + (partitionsByStream.isEmpty() ? "" : ", partitions=" + partitionsByStream) + "]";
    }

    /** Builds a {@link PostgresOutboxConfig}. Not thread-safe; {@link #build()} validates every field. */
    public static final class Builder {
        private String schema = DEFAULT_SCHEMA;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean createTables = DEFAULT_CREATE_TABLES;
        private int deleteChunkRows = DEFAULT_DELETE_CHUNK_ROWS;
        private final Map<String, Integer> partitionsByStream = new TreeMap<>();

        private Builder() {
        }

        /**
         * Splits {@code stream} into {@code partitionCount} partitions (1 to {@value PostgresOutboxConfig#MAX_PARTITIONS});
         * see {@link PostgresOutboxConfig#partitions(String)}. Fixed for the life of the outbox: changing it moves keys
         * to other partitions, so per-key order would no longer hold across the change.
         *
         * @throws IllegalArgumentException if the stream name is invalid or the count is out of range
         */
        public Builder partitions(String stream, int partitionCount) {
            StreamNames.validate(stream);
            if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
                throw new IllegalArgumentException("partitions of stream " + stream + " is " + partitionCount
                        + "; allowed: 1 to " + MAX_PARTITIONS);
            }
            partitionsByStream.put(stream, partitionCount);
            return this;
        }

        private Builder partitionsByStream(Map<String, Integer> counts) {
            partitionsByStream.clear();
            partitionsByStream.putAll(counts);
            return this;
        }

        /** See {@link PostgresOutboxConfig#schema()}; matches {@link #IDENTIFIER}. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** See {@link PostgresOutboxConfig#tablePrefix()}; matches {@link #IDENTIFIER}. */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** See {@link PostgresOutboxConfig#createTables()}. */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /** See {@link PostgresOutboxConfig#deleteChunkRows()}; 1 to {@value PostgresOutboxConfig#MAX_DELETE_CHUNK_ROWS}. */
        public Builder deleteChunkRows(int deleteChunkRows) {
            this.deleteChunkRows = deleteChunkRows;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field, its value and the allowed range
         */
        public PostgresOutboxConfig build() {
            identifier("schema", schema);
            identifier("tablePrefix", tablePrefix);
            if (deleteChunkRows < 1 || deleteChunkRows > MAX_DELETE_CHUNK_ROWS) {
                throw new IllegalArgumentException("deleteChunkRows is " + deleteChunkRows
                        + "; allowed: 1 to " + MAX_DELETE_CHUNK_ROWS);
            }
            return new PostgresOutboxConfig(this);
        }

        private static void identifier(String field, String value) {
            if (value == null || !IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " is " + (value == null ? "null" : "'" + value + "'")
                        + "; allowed: " + IDENTIFIER.pattern() + " (a lower-case SQL identifier of at most 40"
                        + " characters)");
            }
        }
    }
}
