package io.snowpiperelay.examples.cli;

import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.examples.outbox.SkiOutbox;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Samples the progress of the example per table, for the live view: generated (from the generator or the
 * outbox's highest issued offsets), appended and committed (the relay's own {@link RunnerMetrics}), still in
 * the outbox, committed rows per second, and commit lag. Not thread-safe: one thread samples.
 */
final class RelayStatus {

    /** Rates are measured over about this window. */
    private static final long RATE_WINDOW_NANOS = Duration.ofSeconds(3).toNanos();

    /**
     * One table's progress.
     *
     * @param generated     events of the table written to the outbox
     * @param appended      highest offset handed to Snowflake, summed over the table's channels
     * @param committed     highest offset Snowflake confirmed, summed over the table's channels
     * @param inOutbox      rows still in the outbox (not yet confirmed and deleted)
     * @param rowsPerSecond committed rows per second over the last few seconds
     * @param commitLag     the oldest unconfirmed row's age, the worst of the table's channels
     */
    record TableStatus(SkiTable table, long generated, long appended, long committed, long inOutbox,
            double rowsPerSecond, Duration commitLag) {
    }

    /** A sample of every table. */
    record Snapshot(Duration elapsed, List<TableStatus> tables) {

        long generated() {
            return tables.stream().mapToLong(TableStatus::generated).sum();
        }

        long committed() {
            return tables.stream().mapToLong(TableStatus::committed).sum();
        }

        long inOutbox() {
            return tables.stream().mapToLong(TableStatus::inOutbox).sum();
        }

        double rowsPerSecond() {
            return tables.stream().mapToDouble(TableStatus::rowsPerSecond).sum();
        }
    }

    private record Sample(long nanos, long[] committed) {
    }

    private final SkiResortRelay relay;
    private final SkiOutbox outbox;
    private final ToLongFunction<SkiTable> generated;
    private final long startNanos = System.nanoTime();
    private final ArrayDeque<Sample> history = new ArrayDeque<>();

    /**
     * @param generated events generated per table; {@code null} to take the outbox's highest issued offsets
     */
    RelayStatus(SkiResortRelay relay, SkiOutbox outbox, ToLongFunction<SkiTable> generated) {
        this.relay = relay;
        this.outbox = outbox;
        this.generated = generated != null ? generated : this::highestIssued;
    }

    Snapshot sample() {
        long now = System.nanoTime();
        Map<String, RunnerMetrics> metrics = relay.metrics();
        Map<SkiTable, long[]> sums = new EnumMap<>(SkiTable.class);
        Map<SkiTable, Duration> lags = new EnumMap<>(SkiTable.class);
        for (SkiTable table : SkiTable.values()) {
            sums.put(table, new long[3]);
            lags.put(table, Duration.ZERO);
        }
        for (SkiResortRelay.Channel channel : relay.channels()) {
            long[] sum = sums.get(channel.table());
            sum[2] += outbox.pendingCount(channel.stream());
            RunnerMetrics m = metrics.get(channel.channel());
            if (m == null) {
                continue;
            }
            sum[0] += Math.max(m.appendedOffset(), m.committedOffset());
            sum[1] += m.committedOffset();
            if (m.commitLag() != null && m.commitLag().compareTo(lags.get(channel.table())) > 0) {
                lags.put(channel.table(), m.commitLag());
            }
        }
        long[] committedNow = new long[SkiTable.values().length];
        for (SkiTable table : SkiTable.values()) {
            committedNow[table.ordinal()] = sums.get(table)[1];
        }
        history.addLast(new Sample(now, committedNow));
        while (history.size() > 2 && now - history.peekFirst().nanos() > RATE_WINDOW_NANOS) {
            history.removeFirst();
        }
        Sample oldest = history.peekFirst();
        double seconds = (now - oldest.nanos()) / 1e9;
        List<TableStatus> tables = new ArrayList<>();
        for (SkiTable table : SkiTable.values()) {
            long[] sum = sums.get(table);
            double rate = seconds > 0.2 ? (committedNow[table.ordinal()] - oldest.committed()[table.ordinal()]) / seconds : 0;
            tables.add(new TableStatus(table, generated.applyAsLong(table), sum[0], sum[1], sum[2], Math.max(0, rate),
                    lags.get(table)));
        }
        return new Snapshot(Duration.ofNanos(now - startNanos), tables);
    }

    private long highestIssued(SkiTable table) {
        long total = 0;
        for (SkiResortRelay.Channel channel : relay.channels()) {
            if (channel.table() == table) {
                total += outbox.appendedCount(channel.stream());
            }
        }
        return total;
    }
}
