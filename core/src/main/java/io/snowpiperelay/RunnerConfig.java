package io.snowpiperelay;

import java.time.Duration;
import java.util.Objects;

/**
 * The immutable, validated settings of an {@link ExactlyOnceChannelRunner}. Every default is a
 * {@code DEFAULT_*} constant next to its field; {@code docs/configuration.md} lists them (a test checks it).
 *
 * <pre>{@code
 * RunnerConfig config = RunnerConfig.builder()
 *         .maxBatchRows(5_000)
 *         .closeTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable). {@link Builder#build()} throws {@link IllegalArgumentException} naming the
 * field, the bad value and the allowed range.
 */
public final class RunnerConfig {

    /** Rows read from the source per {@code getData} call. */
    public static final int DEFAULT_MAX_BATCH_ROWS = 2_000;
    private final int maxBatchRows;

    /** Rows per {@code appendRows} call at most. */
    public static final int DEFAULT_MAX_APPEND_ROWS = 500;
    private final int maxAppendRows;

    /**
     * Payload bytes per {@code appendRows} call at most (one row larger than this goes alone). Small calls keep
     * each SDK flush batch far below the ~1 MiB at which the SDK leaves inline mode for file mode; the sizes
     * compared are in {@code docs/benchmarks.md}.
     */
    public static final int DEFAULT_MAX_APPEND_BYTES = 32 * 1024;
    private final int maxAppendBytes;

    /** A record whose payload is larger than this is dead-lettered instead of sent. */
    public static final int DEFAULT_MAX_ROW_BYTES = 512 * 1024;
    private final int maxRowBytes;

    /**
     * Rows appended but not yet confirmed as committed, at most (invariant 7); reading pauses at the limit.
     * Commit confirmation takes 1-3 s; 1M rows cover about 3-5 s of a single channel at full speed (150-200k lift
     * rides/s on the benchmark machine, docs/benchmarks.md), so for rows of about 130 bytes and more the byte bound
     * below is the one that holds.
     */
    public static final long DEFAULT_MAX_UNCOMMITTED_ROWS = 1_000_000;
    private final long maxUncommittedRows;

    /**
     * Payload bytes appended but not yet confirmed as committed, at most (invariant 7). Like the row bound, about 2-3 s
     * of one channel at full speed: a channel sends 40-60 MB/s of 500-byte rows, and a window smaller than a commit
     * round trip's worth caps its rate (64 MiB held 4 channels of tickets at 133 MB/s, docs/benchmarks.md).
     */
    public static final long DEFAULT_MAX_UNCOMMITTED_BYTES = 128L * 1024 * 1024;
    private final long maxUncommittedBytes;

    /**
     * How often the committed token is read. The SDK refreshes its status cache about once a second, so
     * reading more often only shortens the time until a refresh is noticed.
     */
    public static final Duration DEFAULT_COMMIT_POLL_INTERVAL = Duration.ofMillis(250);
    private final Duration commitPollInterval;

    /** First wait after the source returned nothing; doubles on each empty read up to {@link #idleBackoffMax()}. */
    public static final Duration DEFAULT_IDLE_BACKOFF_INITIAL = Duration.ofMillis(5);
    private final Duration idleBackoffInitial;

    /** Longest wait between reads of an idle source. */
    public static final Duration DEFAULT_IDLE_BACKOFF_MAX = Duration.ofMillis(500);
    private final Duration idleBackoffMax;

    /** First wait before reopening a failed channel or rebuilding a failed client; grows exponentially. */
    public static final Duration DEFAULT_REOPEN_BACKOFF_INITIAL = Duration.ofMillis(500);
    private final Duration reopenBackoffInitial;

    /** Longest wait between reopen attempts. */
    public static final Duration DEFAULT_REOPEN_BACKOFF_MAX = Duration.ofSeconds(30);
    private final Duration reopenBackoffMax;

    /** Failed channel opens in a row before the runner gives up with {@link RetriesExhaustedException}. */
    public static final int DEFAULT_MAX_REOPEN_ATTEMPTS = 10;
    private final int maxReopenAttempts;

    /** A channel invalidated again within this time after a reopen counts towards {@link #fencingReopenLimit()}. */
    public static final Duration DEFAULT_FENCING_WINDOW = Duration.ofSeconds(10);
    private final Duration fencingWindow;

    /**
     * Quick invalidations after a reopen, in a row, that mean another writer holds the channel: the runner
     * stops with {@link ChannelFencedException} instead of taking it back again. This is the fallback for
     * invalidations that do not say why; when the service answers {@code STALE_CONTINUATION_TOKEN_SEQUENCER}
     * the runner stops at the first one, without reopening.
     */
    public static final int DEFAULT_FENCING_REOPEN_LIMIT = 3;
    private final int fencingReopenLimit;

    /** Longest wait before retrying an {@code appendRows} the SDK refused as saturated. */
    public static final Duration DEFAULT_BACKPRESSURE_BACKOFF_MAX = Duration.ofSeconds(1);
    private final Duration backpressureBackoffMax;

    /** How long the SDK may stay saturated for one batch before the runner gives up. */
    public static final Duration DEFAULT_BACKPRESSURE_TIMEOUT = Duration.ofMinutes(5);
    private final Duration backpressureTimeout;

    /** Failed source reads or deletes in a row before the runner gives up. */
    public static final int DEFAULT_SOURCE_RETRY_ATTEMPTS = 5;
    private final int sourceRetryAttempts;

    /** Longest wait between source retries. */
    public static final Duration DEFAULT_SOURCE_RETRY_BACKOFF_MAX = Duration.ofSeconds(5);
    private final Duration sourceRetryBackoffMax;

    /** How long {@code close()} waits for appended rows to be committed (and the channel to flush). */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private final Duration closeTimeout;

    /** What to do when the service reports rejected rows: find them and dead-letter them before deleting. */
    public static final RowErrorPolicy DEFAULT_ROW_ERROR_POLICY = RowErrorPolicy.DEAD_LETTER;
    private final RowErrorPolicy rowErrorPolicy;

    /**
     * Channels of the quarantine pipe used side by side to find rejected rows (one group of suspect rows per channel
     * and round); more channels mean fewer rounds of about a commit each.
     */
    public static final int DEFAULT_QUARANTINE_CHANNELS = 16;
    private final int quarantineChannels;

    /** How long one round on the quarantine pipe may take to commit before the rows it holds are kept as undecided. */
    public static final Duration DEFAULT_QUARANTINE_ROUND_TIMEOUT = Duration.ofSeconds(60);
    private final Duration quarantineRoundTimeout;

    private RunnerConfig(Builder b) {
        this.maxBatchRows = b.maxBatchRows;
        this.maxAppendRows = b.maxAppendRows;
        this.maxAppendBytes = b.maxAppendBytes;
        this.maxRowBytes = b.maxRowBytes;
        this.maxUncommittedRows = b.maxUncommittedRows;
        this.maxUncommittedBytes = b.maxUncommittedBytes;
        this.commitPollInterval = b.commitPollInterval;
        this.idleBackoffInitial = b.idleBackoffInitial;
        this.idleBackoffMax = b.idleBackoffMax;
        this.reopenBackoffInitial = b.reopenBackoffInitial;
        this.reopenBackoffMax = b.reopenBackoffMax;
        this.maxReopenAttempts = b.maxReopenAttempts;
        this.fencingWindow = b.fencingWindow;
        this.fencingReopenLimit = b.fencingReopenLimit;
        this.backpressureBackoffMax = b.backpressureBackoffMax;
        this.backpressureTimeout = b.backpressureTimeout;
        this.sourceRetryAttempts = b.sourceRetryAttempts;
        this.sourceRetryBackoffMax = b.sourceRetryBackoffMax;
        this.closeTimeout = b.closeTimeout;
        this.rowErrorPolicy = b.rowErrorPolicy;
        this.quarantineChannels = b.quarantineChannels;
        this.quarantineRoundTimeout = b.quarantineRoundTimeout;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every setting at its default. */
    public static RunnerConfig defaults() {
        return builder().build();
    }

    /** A builder holding this config's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxBatchRows = maxBatchRows;
        b.maxAppendRows = maxAppendRows;
        b.maxAppendBytes = maxAppendBytes;
        b.maxRowBytes = maxRowBytes;
        b.maxUncommittedRows = maxUncommittedRows;
        b.maxUncommittedBytes = maxUncommittedBytes;
        b.commitPollInterval = commitPollInterval;
        b.idleBackoffInitial = idleBackoffInitial;
        b.idleBackoffMax = idleBackoffMax;
        b.reopenBackoffInitial = reopenBackoffInitial;
        b.reopenBackoffMax = reopenBackoffMax;
        b.maxReopenAttempts = maxReopenAttempts;
        b.fencingWindow = fencingWindow;
        b.fencingReopenLimit = fencingReopenLimit;
        b.backpressureBackoffMax = backpressureBackoffMax;
        b.backpressureTimeout = backpressureTimeout;
        b.sourceRetryAttempts = sourceRetryAttempts;
        b.sourceRetryBackoffMax = sourceRetryBackoffMax;
        b.closeTimeout = closeTimeout;
        b.rowErrorPolicy = rowErrorPolicy;
        b.quarantineChannels = quarantineChannels;
        b.quarantineRoundTimeout = quarantineRoundTimeout;
        return b;
    }

    /** @see #DEFAULT_MAX_BATCH_ROWS */
    public int maxBatchRows() {
        return maxBatchRows;
    }

    /** @see #DEFAULT_MAX_APPEND_ROWS */
    public int maxAppendRows() {
        return maxAppendRows;
    }

    /** @see #DEFAULT_MAX_APPEND_BYTES */
    public int maxAppendBytes() {
        return maxAppendBytes;
    }

    /** @see #DEFAULT_MAX_ROW_BYTES */
    public int maxRowBytes() {
        return maxRowBytes;
    }

    /** @see #DEFAULT_MAX_UNCOMMITTED_ROWS */
    public long maxUncommittedRows() {
        return maxUncommittedRows;
    }

    /** @see #DEFAULT_MAX_UNCOMMITTED_BYTES */
    public long maxUncommittedBytes() {
        return maxUncommittedBytes;
    }

    /** @see #DEFAULT_COMMIT_POLL_INTERVAL */
    public Duration commitPollInterval() {
        return commitPollInterval;
    }

    /** @see #DEFAULT_IDLE_BACKOFF_INITIAL */
    public Duration idleBackoffInitial() {
        return idleBackoffInitial;
    }

    /** @see #DEFAULT_IDLE_BACKOFF_MAX */
    public Duration idleBackoffMax() {
        return idleBackoffMax;
    }

    /** @see #DEFAULT_REOPEN_BACKOFF_INITIAL */
    public Duration reopenBackoffInitial() {
        return reopenBackoffInitial;
    }

    /** @see #DEFAULT_REOPEN_BACKOFF_MAX */
    public Duration reopenBackoffMax() {
        return reopenBackoffMax;
    }

    /** @see #DEFAULT_MAX_REOPEN_ATTEMPTS */
    public int maxReopenAttempts() {
        return maxReopenAttempts;
    }

    /** @see #DEFAULT_FENCING_WINDOW */
    public Duration fencingWindow() {
        return fencingWindow;
    }

    /** @see #DEFAULT_FENCING_REOPEN_LIMIT */
    public int fencingReopenLimit() {
        return fencingReopenLimit;
    }

    /** @see #DEFAULT_BACKPRESSURE_BACKOFF_MAX */
    public Duration backpressureBackoffMax() {
        return backpressureBackoffMax;
    }

    /** @see #DEFAULT_BACKPRESSURE_TIMEOUT */
    public Duration backpressureTimeout() {
        return backpressureTimeout;
    }

    /** @see #DEFAULT_SOURCE_RETRY_ATTEMPTS */
    public int sourceRetryAttempts() {
        return sourceRetryAttempts;
    }

    /** @see #DEFAULT_SOURCE_RETRY_BACKOFF_MAX */
    public Duration sourceRetryBackoffMax() {
        return sourceRetryBackoffMax;
    }

    /** @see #DEFAULT_CLOSE_TIMEOUT */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** @see #DEFAULT_ROW_ERROR_POLICY */
    public RowErrorPolicy rowErrorPolicy() {
        return rowErrorPolicy;
    }

    /** @see #DEFAULT_QUARANTINE_CHANNELS */
    public int quarantineChannels() {
        return quarantineChannels;
    }

    /** @see #DEFAULT_QUARANTINE_ROUND_TIMEOUT */
    public Duration quarantineRoundTimeout() {
        return quarantineRoundTimeout;
    }

    @Override
    public String toString() {
        return "RunnerConfig[maxBatchRows=" + maxBatchRows + ", maxAppendRows=" + maxAppendRows
                + ", maxAppendBytes=" + maxAppendBytes + ", maxRowBytes=" + maxRowBytes
                + ", maxUncommittedRows=" + maxUncommittedRows + ", maxUncommittedBytes=" + maxUncommittedBytes
                + ", commitPollInterval=" + commitPollInterval + ", idleBackoffInitial=" + idleBackoffInitial
                + ", idleBackoffMax=" + idleBackoffMax + ", reopenBackoffInitial=" + reopenBackoffInitial
                + ", reopenBackoffMax=" + reopenBackoffMax + ", maxReopenAttempts=" + maxReopenAttempts
                + ", fencingWindow=" + fencingWindow + ", fencingReopenLimit=" + fencingReopenLimit
                + ", backpressureBackoffMax=" + backpressureBackoffMax + ", backpressureTimeout=" + backpressureTimeout
                + ", sourceRetryAttempts=" + sourceRetryAttempts + ", sourceRetryBackoffMax=" + sourceRetryBackoffMax
                + ", closeTimeout=" + closeTimeout + ", rowErrorPolicy=" + rowErrorPolicy
                + ", quarantineChannels=" + quarantineChannels + ", quarantineRoundTimeout=" + quarantineRoundTimeout
                + "]";
    }

    /**
     * Collects settings; {@link #build()} validates them all. Not thread-safe; reusable (each {@code build()}
     * returns a new immutable config).
     */
    public static final class Builder {
        private int maxBatchRows = DEFAULT_MAX_BATCH_ROWS;
        private int maxAppendRows = DEFAULT_MAX_APPEND_ROWS;
        private int maxAppendBytes = DEFAULT_MAX_APPEND_BYTES;
        private int maxRowBytes = DEFAULT_MAX_ROW_BYTES;
        private long maxUncommittedRows = DEFAULT_MAX_UNCOMMITTED_ROWS;
        private long maxUncommittedBytes = DEFAULT_MAX_UNCOMMITTED_BYTES;
        private Duration commitPollInterval = DEFAULT_COMMIT_POLL_INTERVAL;
        private Duration idleBackoffInitial = DEFAULT_IDLE_BACKOFF_INITIAL;
        private Duration idleBackoffMax = DEFAULT_IDLE_BACKOFF_MAX;
        private Duration reopenBackoffInitial = DEFAULT_REOPEN_BACKOFF_INITIAL;
        private Duration reopenBackoffMax = DEFAULT_REOPEN_BACKOFF_MAX;
        private int maxReopenAttempts = DEFAULT_MAX_REOPEN_ATTEMPTS;
        private Duration fencingWindow = DEFAULT_FENCING_WINDOW;
        private int fencingReopenLimit = DEFAULT_FENCING_REOPEN_LIMIT;
        private Duration backpressureBackoffMax = DEFAULT_BACKPRESSURE_BACKOFF_MAX;
        private Duration backpressureTimeout = DEFAULT_BACKPRESSURE_TIMEOUT;
        private int sourceRetryAttempts = DEFAULT_SOURCE_RETRY_ATTEMPTS;
        private Duration sourceRetryBackoffMax = DEFAULT_SOURCE_RETRY_BACKOFF_MAX;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private RowErrorPolicy rowErrorPolicy = DEFAULT_ROW_ERROR_POLICY;
        private int quarantineChannels = DEFAULT_QUARANTINE_CHANNELS;
        private Duration quarantineRoundTimeout = DEFAULT_QUARANTINE_ROUND_TIMEOUT;

        private Builder() {
        }

        /** Rows per source read, 1 to 100,000. */
        public Builder maxBatchRows(int v) {
            this.maxBatchRows = v;
            return this;
        }

        /** Rows per {@code appendRows} call, 1 to 100,000. */
        public Builder maxAppendRows(int v) {
            this.maxAppendRows = v;
            return this;
        }

        /** Bytes per {@code appendRows} call, 1,024 to 1,000,000 (below the SDK's 1 MiB file-mode threshold). */
        public Builder maxAppendBytes(int v) {
            this.maxAppendBytes = v;
            return this;
        }

        /** Largest payload sent, 16 to 16,777,216 bytes; larger records are dead-lettered. */
        public Builder maxRowBytes(int v) {
            this.maxRowBytes = v;
            return this;
        }

        /** Uncommitted rows at most, 1 to 1,000,000,000. */
        public Builder maxUncommittedRows(long v) {
            this.maxUncommittedRows = v;
            return this;
        }

        /** Uncommitted bytes at most, 1,024 to 17,179,869,184 (16 GiB). */
        public Builder maxUncommittedBytes(long v) {
            this.maxUncommittedBytes = v;
            return this;
        }

        /** Committed-token read interval, 1 ms to 60 s. */
        public Builder commitPollInterval(Duration v) {
            this.commitPollInterval = v;
            return this;
        }

        /** First idle wait, 1 ms to idleBackoffMax. */
        public Builder idleBackoffInitial(Duration v) {
            this.idleBackoffInitial = v;
            return this;
        }

        /** Longest idle wait, 1 ms to 60 s. */
        public Builder idleBackoffMax(Duration v) {
            this.idleBackoffMax = v;
            return this;
        }

        /** First reopen wait, 1 ms to reopenBackoffMax. */
        public Builder reopenBackoffInitial(Duration v) {
            this.reopenBackoffInitial = v;
            return this;
        }

        /** Longest reopen wait, 1 ms to 10 min. */
        public Builder reopenBackoffMax(Duration v) {
            this.reopenBackoffMax = v;
            return this;
        }

        /** Failed opens in a row before giving up, 1 to 1,000. */
        public Builder maxReopenAttempts(int v) {
            this.maxReopenAttempts = v;
            return this;
        }

        /** Window after a reopen in which a new invalidation counts as a sign of fencing, 1 ms to 10 min. */
        public Builder fencingWindow(Duration v) {
            this.fencingWindow = v;
            return this;
        }

        /** Quick invalidations in a row that mean "fenced", 1 to 100. */
        public Builder fencingReopenLimit(int v) {
            this.fencingReopenLimit = v;
            return this;
        }

        /** Longest wait before retrying a saturated append, 1 ms to 60 s. */
        public Builder backpressureBackoffMax(Duration v) {
            this.backpressureBackoffMax = v;
            return this;
        }

        /** How long one batch may meet saturation before giving up, 1 ms to 24 h. */
        public Builder backpressureTimeout(Duration v) {
            this.backpressureTimeout = v;
            return this;
        }

        /** Source failures in a row before giving up, 1 to 1,000. */
        public Builder sourceRetryAttempts(int v) {
            this.sourceRetryAttempts = v;
            return this;
        }

        /** Longest wait between source retries, 1 ms to 10 min. */
        public Builder sourceRetryBackoffMax(Duration v) {
            this.sourceRetryBackoffMax = v;
            return this;
        }

        /** Bound of {@code close()}'s drain, 0 to 1 h. */
        public Builder closeTimeout(Duration v) {
            this.closeTimeout = v;
            return this;
        }

        /** Reaction to rows the service rejected; not null. */
        public Builder rowErrorPolicy(RowErrorPolicy v) {
            this.rowErrorPolicy = v;
            return this;
        }

        /** Quarantine channels used side by side, 1 to 1,000. */
        public Builder quarantineChannels(int v) {
            this.quarantineChannels = v;
            return this;
        }

        /** How long one quarantine round may take to commit, 1 ms to 1 h. */
        public Builder quarantineRoundTimeout(Duration v) {
            this.quarantineRoundTimeout = v;
            return this;
        }

        /**
         * Validates every setting and returns the config.
         *
         * @throws IllegalArgumentException naming the first bad field, its value and the allowed range
         */
        public RunnerConfig build() {
            range("maxBatchRows", maxBatchRows, 1, 100_000);
            range("maxAppendRows", maxAppendRows, 1, 100_000);
            range("maxAppendBytes", maxAppendBytes, 1_024, 1_000_000);
            range("maxRowBytes", maxRowBytes, 16, 16L * 1024 * 1024);
            range("maxUncommittedRows", maxUncommittedRows, 1, 1_000_000_000L);
            range("maxUncommittedBytes", maxUncommittedBytes, 1_024, 16L * 1024 * 1024 * 1024);
            range("commitPollInterval", commitPollInterval, Duration.ofMillis(1), Duration.ofSeconds(60));
            range("idleBackoffMax", idleBackoffMax, Duration.ofMillis(1), Duration.ofSeconds(60));
            range("idleBackoffInitial", idleBackoffInitial, Duration.ofMillis(1), idleBackoffMax);
            range("reopenBackoffMax", reopenBackoffMax, Duration.ofMillis(1), Duration.ofMinutes(10));
            range("reopenBackoffInitial", reopenBackoffInitial, Duration.ofMillis(1), reopenBackoffMax);
            range("maxReopenAttempts", maxReopenAttempts, 1, 1_000);
            range("fencingWindow", fencingWindow, Duration.ofMillis(1), Duration.ofMinutes(10));
            range("fencingReopenLimit", fencingReopenLimit, 1, 100);
            range("backpressureBackoffMax", backpressureBackoffMax, Duration.ofMillis(1), Duration.ofSeconds(60));
            range("backpressureTimeout", backpressureTimeout, Duration.ofMillis(1), Duration.ofHours(24));
            range("sourceRetryAttempts", sourceRetryAttempts, 1, 1_000);
            range("sourceRetryBackoffMax", sourceRetryBackoffMax, Duration.ofMillis(1), Duration.ofMinutes(10));
            range("closeTimeout", closeTimeout, Duration.ZERO, Duration.ofHours(1));
            range("quarantineChannels", quarantineChannels, 1, 1_000);
            range("quarantineRoundTimeout", quarantineRoundTimeout, Duration.ofMillis(1), Duration.ofHours(1));
            if (rowErrorPolicy == null) {
                throw new IllegalArgumentException("rowErrorPolicy = null is not allowed; use one of "
                        + java.util.Arrays.toString(RowErrorPolicy.values()));
            }
            return new RunnerConfig(this);
        }

        private static void range(String field, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + " = " + value + " is out of range [" + min + ", " + max + "]");
            }
        }

        private static void range(String field, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " = " + value + " is out of range [" + min + ", " + max + "]");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunnerConfig other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
