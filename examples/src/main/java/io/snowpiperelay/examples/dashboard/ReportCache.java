package io.snowpiperelay.examples.dashboard;

import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.report.SkiResortReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code report} command's queries ({@link SkiResortReport}, so {@code ReportQueries}) on the store
 * every {@link #DEFAULT_INTERVAL} on a thread of its own, and keeps the latest result for the page: the page's
 * refreshes never query the store themselves, so any number of open pages cost the store one report at a
 * time.
 *
 * <p>Thread-safe: one thread refreshes, any thread reads the volatile {@link #view()}. {@link #close()} is
 * idempotent.
 */
public final class ReportCache implements AutoCloseable {

    /** How long the cache waits between the end of one report and the start of the next. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ReportCache.class);

    /**
     * One table's count: rows generated against rows landed.
     *
     * @param table      the table
     * @param generated   the rows generated for it, or {@code null} when unknown
     * @param landed      the rows in the table
     * @param duplicates  rows landed more than once (by TXID)
     * @param inOutbox    rows still in the outbox, or {@code null} when unknown
     * @param deadLetters rows dead-lettered, or {@code null} when unknown
     * @param rejected    rows the service rejected, or {@code null} when unknown
     */
    public record TableCount(SkiTable table, Long generated, long landed, long duplicates, Long inOutbox,
            Long deadLetters, Long rejected) {
    }

    /**
     * Where a table's rows are besides the table, for a shortfall of landed against generated; {@code null} where
     * unknown.
     *
     * @param inOutbox    rows still in the outbox (not relayed, or not confirmed yet)
     * @param deadLetters rows the relay dead-lettered (the outbox's dead_letter table)
     * @param rejected    rows the service rejected (the channels' rows_error_count)
     */
    public record Whereabouts(Long inOutbox, Long deadLetters, Long rejected) {
        static final Whereabouts UNKNOWN = new Whereabouts(null, null, null);
    }

    /**
     * A section of the report.
     *
     * @param title what the rows show
     * @param rows  the query's rows, column name to value, in column order
     */
    public record Section(String title, List<Map<String, Object>> rows) {
    }

    /**
     * What the page shows of the report.
     *
     * @param available whether this process can query the landed rows (not on a real Snowflake account)
     * @param note      why not, or what went wrong with the last query; {@code null} when all is well
     * @param updatedAt when the report was last run (ISO-8601, UTC), or {@code null} before the first
     * @param worldTime the latest event time in the data (UTC), or {@code null}
     * @param tables    rows per table
     * @param sections  the report's sections by id ({@code dailyRevenue}, {@code hourlyRides},
     *                  {@code busiestLifts}, {@code ticketVsPass})
     */
    public record View(boolean available, String note, String updatedAt, String worldTime, List<TableCount> tables,
            Map<String, Section> sections) {
    }

    private final SkiResortReport.Query query;
    private final Supplier<Map<SkiTable, Long>> expectedRows;
    private final Supplier<Map<SkiTable, Whereabouts>> whereabouts;
    private final ScheduledExecutorService refresher;
    private volatile View view;

    private ReportCache(SkiResortReport.Query query, Supplier<Map<SkiTable, Long>> expectedRows,
            Supplier<Map<SkiTable, Whereabouts>> whereabouts, Duration interval, View initial) {
        this.query = query;
        this.expectedRows = expectedRows;
        this.whereabouts = whereabouts;
        this.view = initial;
        if (query == null) {
            this.refresher = null;
            return;
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-report");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts refreshing the report every {@code interval}.
     *
     * @param query        runs SQL on the store; called from the cache's one thread only
     * @param expectedRows rows generated per table, read at each refresh (a table missing is not checked)
     */
    public static ReportCache start(SkiResortReport.Query query, Supplier<Map<SkiTable, Long>> expectedRows,
            Duration interval) {
        return start(query, expectedRows, Map::of, interval);
    }

    /**
     * Starts refreshing the report every {@code interval}, with where the rows that have not landed are.
     *
     * @param whereabouts per table: rows in the outbox, dead letters, rejected rows; read at each refresh on the
     *                    cache's thread (a table missing is unknown)
     */
    public static ReportCache start(SkiResortReport.Query query, Supplier<Map<SkiTable, Long>> expectedRows,
            Supplier<Map<SkiTable, Whereabouts>> whereabouts, Duration interval) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(expectedRows, "expectedRows");
        Objects.requireNonNull(whereabouts, "whereabouts");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval is " + interval + "; allowed: more than 0");
        }
        return new ReportCache(query, expectedRows, whereabouts, interval,
                new View(true, null, null, null, List.of(), Map.of()));
    }

    /** A cache that never has a report, with the reason shown on the page (e.g. a real Snowflake account). */
    public static ReportCache unavailable(String reason) {
        return new ReportCache(null, Map::of, Map::of, Duration.ofSeconds(1),
                new View(false, reason, null, null, List.of(), Map.of()));
    }

    /** The latest report. */
    public View view() {
        return view;
    }

    /** Runs the report now, on the caller's thread (the cache's own thread calls this periodically). */
    void refresh() {
        try {
            SkiResortReport report = SkiResortReport.run(query, expectedRows.get());
            Map<SkiTable, Whereabouts> where = whereabouts.get();
            List<TableCount> tables = new ArrayList<>();
            for (SkiResortReport.CountCheck check : report.counts()) {
                Whereabouts w = where.getOrDefault(check.table(), Whereabouts.UNKNOWN);
                tables.add(new TableCount(check.table(), check.expectedRows() < 0 ? null : check.expectedRows(),
                        check.landedRows(), check.duplicates(), w.inOutbox(), w.deadLetters(), w.rejected()));
            }
            Map<String, Section> sections = new LinkedHashMap<>();
            for (SkiResortReport.SectionResult section : report.sections()) {
                sections.put(section.id(), new Section(section.title(), section.rows()));
            }
            view = new View(true, null, Instant.now().toString(), report.worldTime(), List.copyOf(tables), sections);
        } catch (RuntimeException e) {
            // Keep the last good numbers; say what went wrong (e.g. the store is being created).
            View last = view;
            view = new View(true, "report query failed: " + e.getMessage(), last.updatedAt(), last.worldTime(),
                    last.tables(), last.sections());
            log.debug("dashboard - report failed: {}", e.toString());
        }
    }

    /** Stops refreshing. Idempotent. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
