package io.snowpiperelay.benchmarks;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.spi.RelayListener;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import io.snowpiperelay.spi.OffsetSource;
import java.util.Map;

/**
 * {@code relay}: the outbox through core's {@link RelayGroup}, one {@code ExactlyOnceChannelRunner} and one
 * outbox stream per channel, all channels on one SDK client, with core's default settings except the
 * {@code appendRows} size caps given on the command line. The clock runs from the group's start (which builds its
 * SDK client) until the group is drained: every row appended, confirmed committed and deleted from the outbox.
 */
final class RelayMode {

    static final String NAME = Report.RELAY;

    private RelayMode() {
    }

    static ModeRun run(ModeContext ctx, Path outboxFile, OutboxTemplate template, int repeat) throws Exception {
        return run(ctx, outboxFile, template, repeat, NAME);
    }

    /** Runs as mode {@code mode} (e.g. {@code relay-discard} against the discarding server). */
    static ModeRun run(ModeContext ctx, Path outboxFile, OutboxTemplate template, int repeat, String mode)
            throws Exception {
        try (SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
            List<SqliteOffsetSource> sources = new ArrayList<>();
            try {
                for (String stream : template.streams()) {
                    sources.add(outbox.openSource(stream));
                }
                return drain(ctx, sources, template::lastOffset, template.payloadBytes(), repeat, mode);
            } finally {
                sources.forEach(SqliteOffsetSource::close);
            }
        }
    }

    /**
     * Relays {@code sources} (one channel each) until every channel has deleted its last offset, and measures it.
     *
     * @param lastOffset   the last offset of source {@code i}: when it is deleted, that channel is drained
     * @param payloadBytes the JSON bytes of all rows, for MB/s
     */
    static ModeRun drain(ModeContext ctx, List<? extends OffsetSource> sources, IntToLongFunction lastOffset,
                         long payloadBytes, int repeat, String mode) throws Exception {
        int channelCount = sources.size();
        LatencyRecorder latency = new LatencyRecorder();
        RelayListener listener = new RelayListener() {
            @Override
            public void appended(String channel, long firstOffset, long lastOffset, int rows) {
                latency.batchRead(channel, lastOffset);
            }

            @Override
            public void deleted(String channel, long upToOffset) {
                latency.confirmedUpTo(channel, upToOffset);
            }
        };
        RunnerConfig config = ctx.relayConfig();
        PipeName pipe = PipeName.of(Workload.DATABASE, Workload.SCHEMA, ctx.workload().pipe());
        List<String> names = new ArrayList<>();
        ResourceMeter meter = new ResourceMeter();
        RelayGroup.Builder builder = RelayGroup.builder()
                .profile(ClientProfile.fromProperties(ctx.clientProperties()))
                .config(config)
                .listener(listener)
                .clientNamePrefix("bench-" + ctx.runId() + "-" + mode + "-r" + repeat);
        for (int i = 0; i < channelCount; i++) {
            String name = ctx.channelName(mode, repeat, i);
            names.add(name);
            builder.channel(pipe, name, sources.get(i));
        }
        long emulatorCpuStart = ctx.emulator().cpuNanos();
        long wallNanos;
        long cpuNanos;
        long peakHeap;
        long gcMillis;
        java.util.Map<String, Long> threads;
        try (RelayGroup group = builder.build()) {
            meter.start();
            group.start();
            if (!group.awaitDrained(Duration.ofMillis(ctx.timeoutMillis()))) {
                throw new IllegalStateException("relay: not drained within " + ctx.timeoutMillis() + " ms: "
                        + group.metrics());
            }
            wallNanos = System.nanoTime() - meter.startWallNanos();
            cpuNanos = meter.cpuNanosSinceStart();
            gcMillis = meter.gcMillisSinceStart();
            threads = meter.cpuByThreadGroupSinceStart();
            peakHeap = meter.peakHeapBytes();
            Map<String, RunnerMetrics> metrics = group.metrics();
            for (int i = 0; i < channelCount; i++) {
                RunnerMetrics m = metrics.get(names.get(i));
                if (m == null || m.deletedOffset() < lastOffset.applyAsLong(i)) {
                    throw new IllegalStateException("relay: channel " + names.get(i) + " reports drained but "
                            + m);
                }
            }
        }
        long emulatorCpu = emulatorCpuStart < 0 ? -1 : ctx.emulator().cpuNanos() - emulatorCpuStart;
        long verified;
        try (SnowflakeStreamingIngestClient client = SdkClients.build("bench-" + ctx.runId() + "-verify-r" + repeat,
                ctx.workload(), ctx.clientProperties())) {
            verified = SdkClients.rowsInserted(client, names, ctx.rows(), 30_000);
        }
        return new ModeRun(mode, repeat, channelCount, ctx.rows(), payloadBytes, wallNanos, cpuNanos,
                emulatorCpu, latency.percentileMillis(50), latency.percentileMillis(99), peakHeap, verified, gcMillis,
                threads, latency.lastReadNanos() - meter.startWallNanos());
    }
}
