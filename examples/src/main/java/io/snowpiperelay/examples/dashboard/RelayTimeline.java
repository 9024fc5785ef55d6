package io.snowpiperelay.examples.dashboard;

import io.snowpiperelay.examples.generator.SkiTable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples a {@link RelayReading} source every {@link #DEFAULT_INTERVAL} on a thread of its own and keeps the
 * last {@link #MAX_POINTS} samples, so the dashboard can draw rows/s and commit lag over time. Rows per second
 * are the committed rows over about {@link #RATE_WINDOW}.
 *
 * <p>Thread-safe: one thread samples, any thread reads {@link #view()}; both hold this object's monitor.
 * {@link #close()} is idempotent.
 */
public final class RelayTimeline implements AutoCloseable {

    /** How often the source is sampled. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Samples kept for the charts (10 minutes at the default interval). */
    public static final int MAX_POINTS = 600;
    /** Rates are measured over about this window. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(RelayTimeline.class);

    /**
     * What the dashboard shows of the relay.
     *
     * @param phase          what the process is doing, e.g. {@code generating}, {@code draining}, {@code done}
     * @param targetRows     the events the run will generate in all, or 0 when unknown
     * @param elapsedSeconds seconds since the timeline started
     * @param tables         the latest sample per table, with rows per second
     * @param channels       the latest sample per channel
     * @param history        the samples over time
     */
    public record View(String phase, long targetRows, double elapsedSeconds, List<TableProgress> tables,
            List<ChannelProgress> channels, History history) {
    }

    /**
     * Samples over time, oldest first; every list has one entry per sample.
     *
     * @param epochMillis      when each sample was taken
     * @param rowsPerSecond    committed rows per second, per table
     * @param commitLagSeconds commit lag, per table
     * @param committed        committed rows, per table
     */
    public record History(List<Long> epochMillis, Map<SkiTable, List<Double>> rowsPerSecond,
            Map<SkiTable, List<Double>> commitLagSeconds, Map<SkiTable, List<Long>> committed) {
    }

    private record Point(long epochMillis, long nanos, RelayReading reading) {
    }

    private final Supplier<RelayReading> source;
    private final long targetRows;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final ScheduledExecutorService sampler;
    // Guarded by this.
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private String phase = "starting";
    private boolean closed;

    /**
     * A timeline that samples only when {@link #sample()} is called (tests, or a caller with its own thread).
     *
     * @param source     the readings
     * @param targetRows the events the run will generate in all, or 0 when unknown
     * @param nanoClock  a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     */
    RelayTimeline(Supplier<RelayReading> source, long targetRows, LongSupplier nanoClock) {
        this.source = Objects.requireNonNull(source, "source");
        this.targetRows = targetRows;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.sampler = null;
    }

    private RelayTimeline(Supplier<RelayReading> source, long targetRows, Duration interval) {
        this.source = Objects.requireNonNull(source, "source");
        this.targetRows = targetRows;
        this.nanoClock = System::nanoTime;
        this.startNanos = System.nanoTime();
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-relay-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sampling {@code source} every {@code interval} on a daemon thread.
     *
     * @param targetRows the events the run will generate in all, or 0 when unknown
     */
    public static RelayTimeline start(Supplier<RelayReading> source, long targetRows, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval is " + interval + "; allowed: more than 0");
        }
        return new RelayTimeline(source, targetRows, interval);
    }

    /** Sets what the process is doing, shown on the page (e.g. {@code done} once everything is committed). */
    public synchronized void phase(String phase) {
        this.phase = Objects.requireNonNull(phase, "phase");
    }

    /** Takes one sample now. */
    void sample() {
        RelayReading reading = source.get(); // outside the monitor: it may query the outbox
        long nanos = nanoClock.getAsLong();
        synchronized (this) {
            if (closed) {
                return;
            }
            points.addLast(new Point(System.currentTimeMillis(), nanos, reading));
            while (points.size() > MAX_POINTS) {
                points.removeFirst();
            }
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // The relay or outbox may be closing; the next sample tries again.
            log.debug("dashboard - relay sample failed: {}", e.toString());
        }
    }

    /** The latest sample and the history; before the first sample, empty lists. */
    public synchronized View view() {
        List<Point> list = new ArrayList<>(points);
        List<Long> times = new ArrayList<>(list.size());
        Map<SkiTable, List<Double>> rates = new EnumMap<>(SkiTable.class);
        Map<SkiTable, List<Double>> lags = new EnumMap<>(SkiTable.class);
        Map<SkiTable, List<Long>> committed = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            rates.put(table, new ArrayList<>(list.size()));
            lags.put(table, new ArrayList<>(list.size()));
            committed.put(table, new ArrayList<>(list.size()));
        }
        List<TableProgress> latest = List.of();
        int windowStart = 0;
        for (int i = 0; i < list.size(); i++) {
            Point point = list.get(i);
            while (windowStart < i - 1 && point.nanos() - list.get(windowStart + 1).nanos() >= RATE_WINDOW.toNanos()) {
                windowStart++;
            }
            Point oldest = list.get(windowStart);
            double seconds = (point.nanos() - oldest.nanos()) / 1e9;
            times.add(point.epochMillis());
            List<TableProgress> withRates = new ArrayList<>();
            for (TableProgress table : point.reading().tables()) {
                double rate = 0;
                if (seconds > 0.2) {
                    rate = Math.max(0, (table.committed() - committedOf(oldest, table.table())) / seconds);
                }
                withRates.add(table.withRowsPerSecond(rate));
                rates.get(table.table()).add(round1(rate));
                lags.get(table.table()).add(Math.round(table.commitLagSeconds() * 100) / 100.0);
                committed.get(table.table()).add(table.committed());
            }
            latest = withRates;
        }
        List<ChannelProgress> channels = list.isEmpty() ? List.of() : list.get(list.size() - 1).reading().channels();
        return new View(phase, targetRows, (nanoClock.getAsLong() - startNanos) / 1e9, List.copyOf(latest), channels,
                new History(Collections.unmodifiableList(times), rates, lags, committed));
    }

    private static long committedOf(Point point, SkiTable table) {
        for (TableProgress progress : point.reading().tables()) {
            if (progress.table() == table) {
                return progress.committed();
            }
        }
        return 0;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Stops sampling. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
