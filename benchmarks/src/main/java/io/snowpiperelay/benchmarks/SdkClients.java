package io.snowpiperelay.benchmarks;

import com.snowflake.ingest.streaming.ChannelStatus;
import com.snowflake.ingest.streaming.SFException;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClientFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Small helpers around the real SDK for the modes that drive it directly (ceiling, naive, verification). */
final class SdkClients {

    private SdkClients() {
    }

    /** Builds a client on the workload's default pipe with {@code properties}. */
    static SnowflakeStreamingIngestClient build(String clientName, Workload workload, Properties properties) {
        Properties copy = new Properties();
        copy.putAll(properties);
        return SnowflakeStreamingIngestClientFactory
                .builder(clientName, Workload.DATABASE, Workload.SCHEMA, workload.pipe())
                .setProperties(copy)
                .build();
    }

    /** Whether {@code e} is the SDK's client-side backpressure signal rather than a channel fault. */
    static boolean isBackpressure(RuntimeException e) {
        return e instanceof SFException sf
                && ("ReceiverSaturated".equals(sf.getErrorCodeName())
                || "MemoryThresholdExceeded".equals(sf.getErrorCodeName()));
    }

    /** Parks the calling thread briefly after a backpressure signal. */
    static void backoff() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }

    /**
     * Rows the service reports as inserted for {@code channelNames}, read through a fresh status registration
     * on {@code client}; polls (bounded) because a commit may still be on its way: returns once the sum reaches
     * {@code expectedRows} or {@code timeoutMillis} passed, whichever first.
     */
    static long rowsInserted(SnowflakeStreamingIngestClient client, List<String> channelNames, long expectedRows,
                             long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long sum = 0;
        while (true) {
            sum = 0;
            Map<String, ChannelStatus> statuses = client.getChannelStatus(channelNames).getChannelStatusBatch();
            for (String name : channelNames) {
                ChannelStatus status = statuses.get(name);
                if (status != null) {
                    sum += status.getRowsInsertedCount();
                }
            }
            if (sum >= expectedRows || System.nanoTime() > deadline) {
                return sum;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
