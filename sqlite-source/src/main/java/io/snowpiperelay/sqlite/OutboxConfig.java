package io.snowpiperelay.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SqliteOutbox}. Immutable and thread-safe; build one with {@link #builder()} or take
 * {@link #defaults()}. Every default is a {@code DEFAULT_*} constant; {@link Builder#build()} validates and
 * throws {@link IllegalArgumentException} naming the field, the bad value and the allowed range.
 *
 * <pre>{@code
 * OutboxConfig config = OutboxConfig.builder()
 *         .synchronousMode(SynchronousMode.FULL)   // survive power loss, not only a process crash
 *         .busyTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 */
public final class OutboxConfig {

    /** How long a connection waits for another writer's lock before failing with SQLITE_BUSY. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);
    /** The largest allowed {@link #busyTimeout()}. */
    public static final Duration MAX_BUSY_TIMEOUT = Duration.ofHours(1);

    /** WAL with {@code synchronous=NORMAL}: survives a process crash, not a power loss. */
    public static final SynchronousMode DEFAULT_SYNCHRONOUS_MODE = SynchronousMode.NORMAL;

    /**
     * Rows removed per delete transaction: small enough that a producer waits at most a few milliseconds
     * for the write lock, large enough that a big backlog is cleaned up in few transactions.
     */
    public static final int DEFAULT_DELETE_CHUNK_ROWS = 10_000;
    /** The largest allowed {@link #deleteChunkRows()}. */
    public static final int MAX_DELETE_CHUNK_ROWS = 1_000_000;

    /** Create the database file when it does not exist. */
    public static final boolean DEFAULT_CREATE_IF_MISSING = true;

    /** SQLite page cache per connection, in KiB. */
    public static final int DEFAULT_CACHE_SIZE_KIB = 8 * 1024;
    /** The smallest allowed {@link #cacheSizeKib()}. */
    public static final int MIN_CACHE_SIZE_KIB = 64;
    /** The largest allowed {@link #cacheSizeKib()}. */
    public static final int MAX_CACHE_SIZE_KIB = 4 * 1024 * 1024;

    /**
     * The most records {@link SqliteOutbox#appendAll} (and a group commit of concurrent appends) stores in one
     * table row. Packing is what makes the relay's read and delete cost per record small: SQLite's cost is per
     * table row, and a packed row holds many records one per line. 1 stores every record in a row of its own.
     */
    public static final int DEFAULT_PACK_ROWS = 128;
    /** The largest allowed {@link #packRows()}. */
    public static final int MAX_PACK_ROWS = 10_000;

    /**
     * The most payload bytes one packed table row holds: a payload that would take a row above it starts the next
     * row, so that a packed row stays a few SQLite pages however large the payloads are.
     */
    public static final int DEFAULT_PACK_BYTES = 256 * 1024;
    /** The smallest allowed {@link #packBytes()}. */
    public static final int MIN_PACK_BYTES = 1024;
    /** The largest allowed {@link #packBytes()}. */
    public static final int MAX_PACK_BYTES = 64 * 1024 * 1024;

    /**
     * How much of the file the relay's connection reads through memory-mapped I/O ({@code PRAGMA mmap_size}), in
     * MiB: SQLite then reads a backlog's pages without copying each one out of the operating system's cache first,
     * which halves the CPU of reading packed rows. It maps address space, not memory: pages not read are never
     * loaded, and loaded ones are the file cache the system reclaims. Rows still in the write-ahead log are read
     * as before.
     */
    public static final int DEFAULT_RELAY_MMAP_MIB = 256;
    /** The largest allowed {@link #relayMmapMib()} (SQLite's own default ceiling is just under 2 GiB). */
    public static final int MAX_RELAY_MMAP_MIB = 2047;

    private static final OutboxConfig DEFAULTS = new Builder().build();

    private final Duration busyTimeout;
    private final SynchronousMode synchronousMode;
    private final int deleteChunkRows;
    private final boolean createIfMissing;
    private final int cacheSizeKib;
    private final int packRows;
    private final int packBytes;
    private final int relayMmapMib;

    private OutboxConfig(Builder builder) {
        this.busyTimeout = builder.busyTimeout;
        this.synchronousMode = builder.synchronousMode;
        this.deleteChunkRows = builder.deleteChunkRows;
        this.createIfMissing = builder.createIfMissing;
        this.cacheSizeKib = builder.cacheSizeKib;
        this.packRows = builder.packRows;
        this.packBytes = builder.packBytes;
        this.relayMmapMib = builder.relayMmapMib;
    }

    /** The configuration with every field at its {@code DEFAULT_*} value. */
    public static OutboxConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .busyTimeout(busyTimeout)
                .synchronousMode(synchronousMode)
                .deleteChunkRows(deleteChunkRows)
                .createIfMissing(createIfMissing)
                .cacheSizeKib(cacheSizeKib)
                .packRows(packRows)
                .packBytes(packBytes)
                .relayMmapMib(relayMmapMib);
    }

    /**
     * How long an operation waits for another connection's write lock ({@code PRAGMA busy_timeout}) before
     * it fails. SQLite retries SQLITE_BUSY internally until then.
     */
    public Duration busyTimeout() {
        return busyTimeout;
    }

    /** The durability of a commit; see {@link SynchronousMode}. */
    public SynchronousMode synchronousMode() {
        return synchronousMode;
    }

    /** The most rows one delete transaction of {@link SqliteOffsetSource#deleteData(long)} removes. */
    public int deleteChunkRows() {
        return deleteChunkRows;
    }

    /**
     * Whether {@link SqliteOutbox#open} creates a missing file. A relay-only process may set this to
     * {@code false} so that a mistyped path fails instead of silently draining a new, empty outbox.
     */
    public boolean createIfMissing() {
        return createIfMissing;
    }

    /** The page cache of each connection, in KiB ({@code PRAGMA cache_size}). */
    public int cacheSizeKib() {
        return cacheSizeKib;
    }

    /**
     * The most records stored in one table row (see {@link #DEFAULT_PACK_ROWS} and {@code docs/sqlite-outbox.md},
     * "Packed rows"). Only payloads the append found to be one compact JSON object are packed; any other payload
     * gets a row of its own.
     */
    public int packRows() {
        return packRows;
    }

    /** The most payload bytes in one packed table row (see {@link #DEFAULT_PACK_BYTES}). */
    public int packBytes() {
        return packBytes;
    }

    /** Memory-mapped reads of the relay's connection, in MiB; 0 turns them off (see {@link #DEFAULT_RELAY_MMAP_MIB}). */
    public int relayMmapMib() {
        return relayMmapMib;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof OutboxConfig)) {
            return false;
        }
        OutboxConfig that = (OutboxConfig) other;
        return deleteChunkRows == that.deleteChunkRows
                && createIfMissing == that.createIfMissing
                && cacheSizeKib == that.cacheSizeKib
                && packRows == that.packRows
                && packBytes == that.packBytes
                && relayMmapMib == that.relayMmapMib
                && busyTimeout.equals(that.busyTimeout)
                && synchronousMode == that.synchronousMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(busyTimeout, synchronousMode, deleteChunkRows, createIfMissing, cacheSizeKib, packRows,
                packBytes, relayMmapMib);
    }

    @Override
    public String toString() {
        return "OutboxConfig[busyTimeout=" + busyTimeout
                + ", synchronousMode=" + synchronousMode
                + ", deleteChunkRows=" + deleteChunkRows
                + ", createIfMissing=" + createIfMissing
                + ", cacheSizeKib=" + cacheSizeKib
                + ", packRows=" + packRows
                + ", packBytes=" + packBytes
                + ", relayMmapMib=" + relayMmapMib + "]";
    }

    /** Builds an {@link OutboxConfig}. Not thread-safe; {@link #build()} validates every field. */
    public static final class Builder {
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private SynchronousMode synchronousMode = DEFAULT_SYNCHRONOUS_MODE;
        private int deleteChunkRows = DEFAULT_DELETE_CHUNK_ROWS;
        private boolean createIfMissing = DEFAULT_CREATE_IF_MISSING;
        private int cacheSizeKib = DEFAULT_CACHE_SIZE_KIB;
        private int packRows = DEFAULT_PACK_ROWS;
        private int packBytes = DEFAULT_PACK_BYTES;
        private int relayMmapMib = DEFAULT_RELAY_MMAP_MIB;

        private Builder() {
        }

        /** See {@link OutboxConfig#busyTimeout()}; 0 to 1 hour, whole milliseconds. */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** See {@link OutboxConfig#synchronousMode()}; not null. */
        public Builder synchronousMode(SynchronousMode synchronousMode) {
            this.synchronousMode = synchronousMode;
            return this;
        }

        /** See {@link OutboxConfig#deleteChunkRows()}; 1 to {@value OutboxConfig#MAX_DELETE_CHUNK_ROWS}. */
        public Builder deleteChunkRows(int deleteChunkRows) {
            this.deleteChunkRows = deleteChunkRows;
            return this;
        }

        /** See {@link OutboxConfig#createIfMissing()}. */
        public Builder createIfMissing(boolean createIfMissing) {
            this.createIfMissing = createIfMissing;
            return this;
        }

        /**
         * See {@link OutboxConfig#cacheSizeKib()}; {@value OutboxConfig#MIN_CACHE_SIZE_KIB} to
         * {@value OutboxConfig#MAX_CACHE_SIZE_KIB}.
         */
        public Builder cacheSizeKib(int cacheSizeKib) {
            this.cacheSizeKib = cacheSizeKib;
            return this;
        }

        /** See {@link OutboxConfig#packRows()}; 1 (no packing) to {@value OutboxConfig#MAX_PACK_ROWS}. */
        public Builder packRows(int packRows) {
            this.packRows = packRows;
            return this;
        }

        /**
         * See {@link OutboxConfig#packBytes()}; {@value OutboxConfig#MIN_PACK_BYTES} to
         * {@value OutboxConfig#MAX_PACK_BYTES}.
         */
        public Builder packBytes(int packBytes) {
            this.packBytes = packBytes;
            return this;
        }

        /** See {@link OutboxConfig#relayMmapMib()}; 0 (off) to {@value OutboxConfig#MAX_RELAY_MMAP_MIB}. */
        public Builder relayMmapMib(int relayMmapMib) {
            this.relayMmapMib = relayMmapMib;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the field, its value and the allowed range
         */
        public OutboxConfig build() {
            if (busyTimeout == null) {
                throw new IllegalArgumentException("busyTimeout must not be null; allowed: 0 ms to "
                        + MAX_BUSY_TIMEOUT.toMillis() + " ms (default " + DEFAULT_BUSY_TIMEOUT + ")");
            }
            if (busyTimeout.isNegative() || busyTimeout.compareTo(MAX_BUSY_TIMEOUT) > 0) {
                throw new IllegalArgumentException("busyTimeout is " + busyTimeout + " (" + millisOf(busyTimeout)
                        + "); allowed: 0 ms to " + MAX_BUSY_TIMEOUT.toMillis() + " ms (" + MAX_BUSY_TIMEOUT + ")");
            }
            if (synchronousMode == null) {
                throw new IllegalArgumentException("synchronousMode must not be null; allowed: "
                        + java.util.Arrays.toString(SynchronousMode.values()));
            }
            if (deleteChunkRows < 1 || deleteChunkRows > MAX_DELETE_CHUNK_ROWS) {
                throw new IllegalArgumentException("deleteChunkRows is " + deleteChunkRows
                        + "; allowed: 1 to " + MAX_DELETE_CHUNK_ROWS);
            }
            if (cacheSizeKib < MIN_CACHE_SIZE_KIB || cacheSizeKib > MAX_CACHE_SIZE_KIB) {
                throw new IllegalArgumentException("cacheSizeKib is " + cacheSizeKib
                        + "; allowed: " + MIN_CACHE_SIZE_KIB + " to " + MAX_CACHE_SIZE_KIB);
            }
            if (packRows < 1 || packRows > MAX_PACK_ROWS) {
                throw new IllegalArgumentException("packRows is " + packRows + "; allowed: 1 (no packing) to "
                        + MAX_PACK_ROWS);
            }
            if (packBytes < MIN_PACK_BYTES || packBytes > MAX_PACK_BYTES) {
                throw new IllegalArgumentException("packBytes is " + packBytes + "; allowed: " + MIN_PACK_BYTES
                        + " to " + MAX_PACK_BYTES);
            }
            if (relayMmapMib < 0 || relayMmapMib > MAX_RELAY_MMAP_MIB) {
                throw new IllegalArgumentException("relayMmapMib is " + relayMmapMib + "; allowed: 0 (off) to "
                        + MAX_RELAY_MMAP_MIB);
            }
            return new OutboxConfig(this);
        }

        private static String millisOf(Duration duration) {
            try {
                return duration.toMillis() + " ms";
            } catch (ArithmeticException tooLarge) {
                return "over " + Long.MAX_VALUE + " ms";
            }
        }
    }
}
