package io.snowpiperelay.postgres;

/**
 * A {@link RelayFleet} member tried to read, stamp or delete rows of a partition whose lease it no longer holds: the
 * lease was not renewed in time, or another member claimed it (the epoch moved on). Nothing was written. The fleet
 * stops the partition's runner; the new owner resumes from the channel's committed token.
 */
public final class LeaseLostException extends PostgresOutboxException {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final long epoch;
    private final String member;

    public LeaseLostException(String table, String stream, int partition, long epoch, String member, String reason) {
        super(table, stream, "outbox " + table + ", stream " + stream + " partition " + partition + ": member "
                + member + " no longer holds the lease of epoch " + epoch + " (" + reason + "); nothing was"
                + " written. Another member relays the partition now; this member stops it and may claim it again",
                null);
        this.partition = partition;
        this.epoch = epoch;
        this.member = member;
    }

    /** The partition whose lease was lost. */
    public int partition() {
        return partition;
    }

    /** The epoch the member held. */
    public long epoch() {
        return epoch;
    }

    /** The member that lost it. */
    public String member() {
        return member;
    }
}
