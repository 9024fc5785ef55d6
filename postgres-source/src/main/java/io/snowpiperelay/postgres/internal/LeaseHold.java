package io.snowpiperelay.postgres.internal;

/**
 * What one member knows locally about one lease it holds: the lease (partition and epoch) and until when, by this
 * JVM's monotonic clock, it may still write to the partition. The fleet's heartbeat extends the deadline after each
 * successful renewal to {@code (time the renewal was sent) + leaseDuration - renewMargin}; the database's expiry is
 * {@code (time the database ran the renewal) + leaseDuration}, which is later. So the member stops at least
 * {@code renewMargin} before any other member may claim the partition, whatever the members' wall clocks say.
 * Thread-safe (the deadline and the revocation are volatile; the heartbeat writes them, the relay thread reads them).
 */
public final class LeaseHold {

    private final String member;
    private final LeaseStore.Held lease;
    private volatile long validUntilNanos;
    private volatile String revokedReason;

    public LeaseHold(String member, LeaseStore.Held lease, long validUntilNanos) {
        this.member = member;
        this.lease = lease;
        this.validUntilNanos = validUntilNanos;
    }

    public String member() {
        return member;
    }

    public LeaseStore.Held lease() {
        return lease;
    }

    /** Moves the local deadline to {@code validUntilNanos} (a {@link System#nanoTime()} value). */
    public void extendTo(long validUntilNanos) {
        this.validUntilNanos = validUntilNanos;
    }

    /** Stops every further write at once, for {@code reason}. Irreversible: a new claim gets a new hold. */
    public void revoke(String reason) {
        if (revokedReason == null) {
            revokedReason = reason;
        }
    }

    /** Null while the member may write; otherwise why it may not (revoked, or the local deadline passed). */
    public String whyNotHeld(long nowNanos) {
        String revoked = revokedReason;
        if (revoked != null) {
            return revoked;
        }
        long late = nowNanos - validUntilNanos;
        if (late >= 0) {
            return "the lease was not renewed in time (local deadline passed " + late / 1_000_000 + " ms ago)";
        }
        return null;
    }

    /** Nanoseconds left before the local deadline (negative when passed). */
    public long remainingNanos(long nowNanos) {
        return validUntilNanos - nowNanos;
    }
}
