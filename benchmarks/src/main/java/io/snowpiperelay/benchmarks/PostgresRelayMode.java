package io.snowpiperelay.benchmarks;

import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.postgres.PostgresOffsetSource;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code relay} with {@code --source postgres}: the same {@link RelayGroup} as {@link RelayMode}, draining the
 * transactional outbox in PostgreSQL instead of an SQLite file. Before every repeat (not timed) it fills fresh outbox
 * tables, {@code channels} streams sharing the workload's rows in contiguous slices, committed in transactions of
 * {@value #FILL_CHUNK_ROWS} rows and not yet stamped: the measured run includes the relay's sequencer giving every
 * row its offset, as in production. The tables are dropped afterwards.
 */
final class PostgresRelayMode {

    private static final int FILL_CHUNK_ROWS = 10_000;

    private PostgresRelayMode() {
    }

    static ModeRun run(ModeContext ctx, PostgresBenchDatabase database, int repeat, String mode) throws Exception {
        String prefix = "bench_" + ctx.runId().toLowerCase(java.util.Locale.ROOT) + "_" + mode.replace('-', '_')
                + "_r" + repeat;
        PostgresOutboxConfig config = PostgresOutboxConfig.builder().tablePrefix(prefix).build();
        try (PostgresOutbox outbox = PostgresOutbox.open(database.dataSource(), config)) {
            int streamCount = ctx.channels();
            long[] lastOffsets = new long[streamCount];
            long payloadBytes = 0;
            long index = 0;
            long t0 = System.nanoTime();
            List<String> streams = new ArrayList<>();
            for (int s = 0; s < streamCount; s++) {
                String stream = "bench_" + s;
                streams.add(stream);
                long end = index + ctx.rowsOfChannel(s, streamCount);
                lastOffsets[s] = end - index; // dense offsets from 1: the last is the row count
                while (index < end) {
                    long chunkEnd = Math.min(end, index + FILL_CHUNK_ROWS);
                    List<String> payloads = ctx.workload().payloads(index, chunkEnd);
                    for (String payload : payloads) {
                        payloadBytes += RowConverter.utf8Length(payload);
                    }
                    outbox.appendAll(stream, payloads);
                    index = chunkEnd;
                }
            }
            EndToEnd.log("filled PostgreSQL outbox %s with %,d rows in %d streams in %.1f s", outbox.table(), ctx.rows(),
                    streamCount, (System.nanoTime() - t0) / 1e9);
            List<PostgresOffsetSource> sources = new ArrayList<>();
            ModeRun run;
            try {
                for (String stream : streams) {
                    sources.add(outbox.openSource(stream));
                }
                run = RelayMode.drain(ctx, sources, i -> lastOffsets[i], payloadBytes, repeat, mode);
            } finally {
                sources.forEach(PostgresOffsetSource::close);
            }
            for (String stream : streams) {
                long pending = outbox.pendingCount(stream);
                if (pending != 0) {
                    throw new IllegalStateException(mode + " #" + repeat + ": outbox stream " + stream + " still holds "
                            + pending + " rows after the mode finished");
                }
            }
            return run;
        } finally {
            database.dropTables(prefix);
        }
    }
}
