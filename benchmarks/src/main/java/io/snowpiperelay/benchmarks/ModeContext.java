package io.snowpiperelay.benchmarks;

import java.util.Properties;

/**
 * Everything a mode needs to run once: the SDK client properties pointing at the emulator, the workload, the
 * sizes, and the emulator handle (to read its CPU time and verify the table).
 *
 * @param clientProperties SDK client properties (url, user, account, private key, emulator-safe SDK settings)
 * @param workload         the table and its payloads
 * @param rows             rows to move in total
 * @param channels         channels for {@code sdk-ceiling} and {@code relay}; {@code naive} always uses one
 * @param maxBatchRows     rows per {@code appendRows} call at most (relay and ceiling)
 * @param maxBatchBytes    JSON bytes per {@code appendRows} call at most (relay and ceiling)
 * @param naiveReadRows    rows per {@code getData} in the naive loop (the quickstart's 10,000)
 * @param runId            distinguishes the channel names of this run from earlier runs on the same store
 * @param timeoutMillis    the longest a mode may take before it is reported as failed
 * @param emulator         the emulator under test
 * @param relayConfig      the relay's settings (core's defaults unless the command line changed some)
 */
record ModeContext(Properties clientProperties, Workload workload, long rows, int channels, int maxBatchRows,
                   int maxBatchBytes, int naiveReadRows, String runId, long timeoutMillis, EmulatorHandle emulator,
                   io.snowpiperelay.RunnerConfig relayConfig) {

    /** A channel name unique to this run, mode, repeat and index. */
    String channelName(String mode, int repeat, int index) {
        return "bench-" + runId + "-" + mode + "-r" + repeat + "-" + index;
    }

    /** Rows channel {@code index} of {@code channelCount} carries: the remainder goes to the first channels. */
    long rowsOfChannel(int index, int channelCount) {
        return rows / channelCount + (index < rows % channelCount ? 1 : 0);
    }
}
