package io.snowpiperelay.benchmarks;

import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code sdk-ceiling}: pre-built rows straight into {@code appendRows} on as many channels as the relay uses,
 * one thread per channel, nothing else (no source, no conversion, no uncommitted window). The clock runs from
 * building the SDK client (as in {@code relay}) until every channel's committed token reached its last offset. This
 * is what the SDK can carry on this machine.
 */
final class SdkCeilingMode {

    static final String NAME = "sdk-ceiling";

    private SdkCeilingMode() {
    }

    static ModeRun run(ModeContext ctx, RowPool pool, int repeat) throws Exception {
        return run(ctx, pool, repeat, NAME);
    }

    /** Runs as mode {@code mode} (e.g. {@code sdk-ceiling-discard} against the discarding server). */
    static ModeRun run(ModeContext ctx, RowPool pool, int repeat, String mode) throws Exception {
        int channelCount = ctx.channels();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            names.add(ctx.channelName(mode, repeat, i));
        }
        LatencyRecorder latency = new LatencyRecorder();
        ResourceMeter meter = new ResourceMeter();
        AtomicLong payloadBytes = new AtomicLong();
        long[] lastOffsets = new long[channelCount];
        for (int i = 0; i < channelCount; i++) {
            lastOffsets[i] = ctx.rowsOfChannel(i, channelCount);
        }
        ExecutorService appenders = Executors.newFixedThreadPool(channelCount, r -> {
            Thread t = new Thread(r, "ceiling-appender");
            t.setDaemon(true);
            return t;
        });
        long emulatorCpuStart = ctx.emulator().cpuNanos();
        // The clock starts before the client is built, as the relay's does: its group builds its client in its run.
        meter.start();
        try (SnowflakeStreamingIngestClient client =
                     SdkClients.build("bench-" + ctx.runId() + "-" + mode + "-r" + repeat, ctx.workload(),
                             ctx.clientProperties())) {
            List<SnowflakeStreamingIngestChannel> channels = new ArrayList<>();
            for (String name : names) {
                channels.add(client.openChannel(name, null).getChannel());
            }
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
                SnowflakeStreamingIngestChannel channel = channels.get(i);
                long channelRows = lastOffsets[i];
                int batchSeed = i * 7919;
                futures.add(appenders.submit(() -> {
                    payloadBytes.addAndGet(appendAll(channel, channelRows, pool, batchSeed, latency));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(ctx.timeoutMillis(), TimeUnit.MILLISECONDS);
            }
            awaitCommitted(client, names, lastOffsets, latency, meter.startWallNanos(), ctx.timeoutMillis());
            long wallNanos = System.nanoTime() - meter.startWallNanos();
            long cpuNanos = meter.cpuNanosSinceStart();
            long gcMillis = meter.gcMillisSinceStart();
            java.util.Map<String, Long> threads = meter.cpuByThreadGroupSinceStart();
            long peakHeap = meter.peakHeapBytes();
            long emulatorCpu = emulatorCpuStart < 0 ? -1 : ctx.emulator().cpuNanos() - emulatorCpuStart;
            for (SnowflakeStreamingIngestChannel channel : channels) {
                channel.close();
            }
            long verified = SdkClients.rowsInserted(client, names, ctx.rows(), 30_000);
            return new ModeRun(mode, repeat, channelCount, ctx.rows(), payloadBytes.get(), wallNanos, cpuNanos,
                    emulatorCpu, latency.percentileMillis(50), latency.percentileMillis(99), peakHeap, verified, gcMillis, threads,
                    latency.lastReadNanos() - meter.startWallNanos());
        } finally {
            appenders.shutdownNow();
        }
    }

    /** Appends {@code channelRows} rows from the pool, offsets 1..channelRows; returns their JSON bytes. */
    private static long appendAll(SnowflakeStreamingIngestChannel channel, long channelRows, RowPool pool,
                                  long batchIndex, LatencyRecorder latency) {
        long offset = 0;
        long bytes = 0;
        String name = channel.getChannelName();
        while (offset < channelRows) {
            List<Map<String, Object>> batch = pool.batch(batchIndex);
            long batchBytes = pool.bytesOf(batchIndex);
            batchIndex++;
            if (batch.size() > channelRows - offset) {
                int n = (int) (channelRows - offset);
                batchBytes = batchBytes * n / batch.size();
                batch = batch.subList(0, n);
            }
            long first = offset + 1;
            long last = offset + batch.size();
            latency.batchRead(name, last);
            while (true) {
                try {
                    channel.appendRows(batch, Long.toString(first), Long.toString(last));
                    break;
                } catch (RuntimeException e) {
                    if (!SdkClients.isBackpressure(e)) {
                        throw e;
                    }
                    SdkClients.backoff();
                }
            }
            offset = last;
            bytes += batchBytes;
        }
        return bytes;
    }

    /**
     * Polls the channels' committed tokens (one client call for all of them) until each reached its last offset,
     * finishing batch latencies as tokens advance.
     */
    static void awaitCommitted(SnowflakeStreamingIngestClient client, List<String> names, long[] lastOffsets,
                               LatencyRecorder latency, long startNanos, long timeoutMillis) {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Map<String, String> tokens = client.getLatestCommittedOffsetTokens(names);
            boolean all = true;
            for (int i = 0; i < names.size(); i++) {
                String token = tokens.get(names.get(i));
                long committed = token == null || token.isEmpty() ? 0 : Long.parseLong(token);
                latency.confirmedUpTo(names.get(i), committed);
                all &= committed >= lastOffsets[i];
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("channels " + names + " did not commit their last offsets within "
                        + timeoutMillis + " ms; committed tokens: " + tokens);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
