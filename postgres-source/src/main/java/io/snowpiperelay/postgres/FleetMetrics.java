package io.snowpiperelay.postgres;

/**
 * A snapshot of a {@link RelayFleet} member's lease counters, read by {@link FleetMeterBinder}.
 *
 * @param ownedPartitions partitions this member holds now (draining ones included)
 * @param targetPartitions this member's fair share at the last heartbeat
 * @param liveMembers     live members at the last heartbeat
 * @param claims          leases claimed since start
 * @param losses          leases lost since start (not renewed in time, taken over, or runner failed)
 * @param releases        leases drained and released since start
 * @param rebalances      heartbeats at which this member's share changed
 * @param heartbeatFailures heartbeats that could not reach the database
 */
public record FleetMetrics(int ownedPartitions, int targetPartitions, int liveMembers, long claims, long losses,
                           long releases, long rebalances, long heartbeatFailures) {
}
