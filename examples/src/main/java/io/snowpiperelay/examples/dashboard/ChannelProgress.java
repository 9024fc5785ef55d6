package io.snowpiperelay.examples.dashboard;

import io.snowpiperelay.examples.generator.SkiTable;

/**
 * One channel's metrics at one moment, as the relay publishes them (see
 * {@link io.snowpiperelay.micrometer.RelayMeterBinder}).
 *
 * @param channel          the channel name
 * @param table            the table it lands in
 * @param appendedOffset   highest offset appended
 * @param committedOffset  highest offset confirmed committed
 * @param uncommittedRows  rows appended, not yet confirmed
 * @param commitLagSeconds age of the oldest unconfirmed row
 * @param reopens          channel reopens so far
 * @param failed           whether the channel's runner failed
 */
public record ChannelProgress(String channel, SkiTable table, long appendedOffset, long committedOffset,
        long uncommittedRows, double commitLagSeconds, long reopens, boolean failed) {
}
