package io.snowpiperelay.examples.dashboard;

import io.snowpiperelay.postgres.FleetLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's "Fleet" table: which member of a {@code relay --fleet} fleet owns which partition, read from the
 * outbox's lease table ({@link FleetLeases}) every {@link #DEFAULT_INTERVAL} on a thread of its own, so that the
 * page's refreshes never query the database themselves.
 *
 * <p>Thread-safe: one thread refreshes, any thread reads the volatile {@link #view()}. {@link #close()} is
 * idempotent.
 */
public final class FleetTable implements AutoCloseable {

    /** How long the table waits between the end of one read and the start of the next. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(FleetTable.class);

    /**
     * One partition's row on the page.
     *
     * @param stream           the stream
     * @param partition        the partition, from 0
     * @param owner            the member the lease names, or {@code null} when unowned
     * @param epoch            the lease's epoch
     * @param expiresInSeconds whole seconds until the lease expires, or {@code null} when expired or unowned
     * @param state            {@code owned}, {@code expired} or {@code unowned}
     */
    public record Row(String stream, int partition, String owner, long epoch, Long expiresInSeconds, String state) {
    }

    /**
     * What the page shows of the fleet.
     *
     * @param note       what went wrong with the last read, or {@code null} when all is well
     * @param partitions the lease rows, by stream and partition
     */
    public record View(String note, List<Row> partitions) {
    }

    private final Supplier<Optional<List<FleetLeases.Lease>>> leases;
    private final ScheduledExecutorService refresher;
    private volatile View view;

    private FleetTable(Supplier<Optional<List<FleetLeases.Lease>>> leases, Duration interval) {
        this.leases = leases;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-fleet");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts reading {@code leases} every {@code interval}.
     *
     * @param leases the fleet's leases, empty when there is no fleet; called from the table's one thread only
     */
    public static FleetTable start(Supplier<Optional<List<FleetLeases.Lease>>> leases, Duration interval) {
        Objects.requireNonNull(leases, "leases");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval is " + interval + "; allowed: more than 0");
        }
        return new FleetTable(leases, interval);
    }

    /** Starts reading the leases of {@code reader} every {@link #DEFAULT_INTERVAL}. */
    public static FleetTable start(FleetLeases reader) {
        Objects.requireNonNull(reader, "reader");
        return start(reader::read, DEFAULT_INTERVAL);
    }

    /** The latest table, or {@code null} when there is no fleet (no lease table, or no partitions in it). */
    public View view() {
        return view;
    }

    /** Reads the leases now, on the caller's thread (the table's own thread calls this periodically). */
    void refresh() {
        try {
            Optional<List<FleetLeases.Lease>> read = leases.get();
            if (read.isEmpty() || read.get().isEmpty()) {
                view = null;
                return;
            }
            List<Row> rows = new ArrayList<>();
            for (FleetLeases.Lease lease : read.get()) {
                boolean owned = lease.state() == FleetLeases.State.OWNED;
                rows.add(new Row(lease.stream(), lease.partition(), lease.owner(), lease.epoch(),
                        owned ? (long) Math.ceil(lease.secondsLeft()) : null,
                        lease.state().name().toLowerCase(Locale.ROOT)));
            }
            view = new View(null, List.copyOf(rows));
        } catch (RuntimeException e) {
            // Keep the last rows (if any), and say what went wrong: the database may be restarting.
            View last = view;
            if (last != null) {
                view = new View("reading the fleet's leases failed: " + e.getMessage(), last.partitions());
            }
            log.debug("dashboard - fleet read failed: {}", e.toString());
        }
    }

    /** Stops reading. Idempotent. */
    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
