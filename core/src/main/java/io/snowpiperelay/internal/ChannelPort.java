package io.snowpiperelay.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One opened channel instance, as the runner sees it. The SDK adapter implements it over
 * {@code SnowflakeStreamingIngestChannel}; tests implement it with a fake that commits asynchronously.
 *
 * <p>Every method throws {@link PortException} on failure. {@link #appendRows} is called from the runner's
 * thread only; {@link #status()} may be called from a poller thread concurrently.
 */
public interface ChannelPort {

    /** The channel name. */
    String name();

    /**
     * Hands rows to the channel (asynchronous: returning means buffered, not committed).
     *
     * @param rows       one or more rows; the list is not kept after the call returns
     * @param firstToken offset token of the first row
     * @param lastToken  offset token of the last row; becomes the channel's committed token once committed
     */
    void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken);

    /** The channel's status from the SDK's cache; the first read of a channel may block about a second. */
    ChannelStatusView status();

    /**
     * Asks the SDK to send what it buffered now instead of at its next flush tick (about 1 s); does not wait.
     * Used when closing, so the last rows commit sooner. Never throws.
     */
    default void initiateFlush() {
    }

    /** Flushes what was appended (bounded by {@code timeout}) and closes; never throws. */
    void close(Duration timeout);
}
