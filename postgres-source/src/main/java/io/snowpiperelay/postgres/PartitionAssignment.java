package io.snowpiperelay.postgres;

import java.time.Instant;
import java.util.Optional;

/**
 * Who relays one partition, as the lease table says: the fleet-wide view of {@link RelayFleet#assignments()}.
 *
 * @param stream    the stream
 * @param partition the partition, from 0
 * @param channel   the partition's channel, {@code <TABLE>_P<n>}
 * @param owner     the member holding the lease, or {@code null} when it is free
 * @param epoch     the lease's epoch (incremented by every claim)
 * @param expiresAt when the lease expires by the database's clock ({@code null} when it is free)
 * @param live      whether the lease is held and unexpired now
 */
public record PartitionAssignment(String stream, int partition, String channel, String owner, long epoch,
                                  Instant expiresAt, boolean live) {

    /** The owner while the lease is live; empty when the partition is free or its lease expired. */
    public Optional<String> liveOwner() {
        return live ? Optional.ofNullable(owner) : Optional.empty();
    }
}
