package io.snowpiperelay.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.spi.SourceRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code naive}: the loop a user writes from Snowflake's streaming quickstart, with its bugs fixed: one channel
 * per table; read up to 10,000 rows after the cursor; {@code appendRow} each row with its own offset as token;
 * advance the cursor; read the channel's committed token and delete up to it. At the end it waits for the last
 * commit and deletes it, so the outbox is drained exactly as in {@code relay}.
 */
final class NaiveMode {

    static final String NAME = "naive";

    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };

    private NaiveMode() {
    }

    static ModeRun run(ModeContext ctx, OffsetSource source, long lastOffset, long payloadBytes, int repeat) {
        String name = ctx.channelName(NAME, repeat, 0);
        ObjectMapper mapper = new ObjectMapper();
        LatencyRecorder latency = new LatencyRecorder();
        ResourceMeter meter = new ResourceMeter();
        long emulatorCpuStart = ctx.emulator().cpuNanos();
        // The clock starts before the client is built, as the relay's does: its group builds its client in its run.
        meter.start();
        try (SnowflakeStreamingIngestClient client =
                     SdkClients.build("bench-" + ctx.runId() + "-" + NAME + "-r" + repeat, ctx.workload(),
                             ctx.clientProperties())) {
            long deadline = meter.startWallNanos() + TimeUnit.MILLISECONDS.toNanos(ctx.timeoutMillis());
            SnowflakeStreamingIngestChannel channel = client.openChannel(name, null).getChannel();
            String startToken = channel.getLatestCommittedOffsetToken();
            long cursor = startToken == null ? 0 : Long.parseLong(startToken);
            long deleted = cursor;
            long rows = 0;
            while (deleted < lastOffset) {
                List<SourceRecord> batch = source.getData(cursor, ctx.naiveReadRows());
                if (!batch.isEmpty()) {
                    for (SourceRecord record : batch) {
                        Map<String, Object> row = parse(mapper, record.json());
                        channel.appendRow(row, Long.toString(record.offset()));
                    }
                    cursor = batch.get(batch.size() - 1).offset();
                    rows += batch.size();
                    latency.batchRead(name, cursor);
                } else {
                    // All appended: wait for the last commits without spinning on the status cache.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                String committed = channel.getLatestCommittedOffsetToken();
                if (committed != null && !committed.isEmpty()) {
                    long committedOffset = Long.parseLong(committed);
                    if (committedOffset > deleted) {
                        source.deleteData(committedOffset);
                        deleted = committedOffset;
                        latency.confirmedUpTo(name, committedOffset);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("naive: channel " + name + " committed only up to " + deleted
                            + " of " + lastOffset + " within " + ctx.timeoutMillis() + " ms");
                }
            }
            long wallNanos = System.nanoTime() - meter.startWallNanos();
            long cpuNanos = meter.cpuNanosSinceStart();
            long gcMillis = meter.gcMillisSinceStart();
            java.util.Map<String, Long> threads = meter.cpuByThreadGroupSinceStart();
            long peakHeap = meter.peakHeapBytes();
            long emulatorCpu = emulatorCpuStart < 0 ? -1 : ctx.emulator().cpuNanos() - emulatorCpuStart;
            channel.close();
            long verified = SdkClients.rowsInserted(client, List.of(name), rows, 30_000);
            return new ModeRun(NAME, repeat, 1, rows, payloadBytes, wallNanos, cpuNanos, emulatorCpu,
                    latency.percentileMillis(50), latency.percentileMillis(99), peakHeap, verified, gcMillis, threads,
                    latency.lastReadNanos() - meter.startWallNanos());
        }
    }

    private static Map<String, Object> parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, ROW);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("naive: benchmark payload does not parse", e);
        }
    }
}
