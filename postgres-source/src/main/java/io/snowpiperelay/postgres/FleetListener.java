package io.snowpiperelay.postgres;

/**
 * Observer of a {@link RelayFleet} member's leases. Every method defaults to doing nothing. Called from the fleet's
 * heartbeat, deadline-watch or stopper threads: implementations must be thread-safe and quick.
 */
public interface FleetListener {

    /** This member claimed {@code stream}'s {@code partition} under {@code epoch} and starts relaying it on {@code channel}. */
    default void claimed(String member, String stream, int partition, long epoch, String channel) {
    }

    /**
     * This member lost the lease (not renewed in time, taken over, or its runner failed) and stopped relaying the
     * partition without releasing it.
     */
    default void lost(String member, String stream, int partition, long epoch, String reason) {
    }

    /** This member drained and released the partition (rebalance or close). */
    default void released(String member, String stream, int partition, long epoch) {
    }

    /**
     * This member's share changed: {@code liveMembers} members are live, and this one now aims at {@code target}
     * partitions while holding {@code owned}.
     */
    default void rebalanced(String member, int liveMembers, int owned, int target) {
    }
}
