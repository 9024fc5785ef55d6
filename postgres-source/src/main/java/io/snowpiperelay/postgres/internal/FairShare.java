package io.snowpiperelay.postgres.internal;

import java.util.List;

/**
 * How many partitions each live member should hold: {@code total / members}, and one more for the first
 * {@code total % members} members in id order. Every member computes the same targets from the same member list,
 * and the targets add up to {@code total}, so members over their share release exactly what members under it claim.
 */
public final class FairShare {

    private FairShare() {
    }

    /**
     * The share of {@code member} among {@code liveMembers} (sorted ids; {@code member} counts as live even if not
     * listed yet).
     */
    public static int target(int totalPartitions, List<String> liveMembers, String member) {
        int index = liveMembers.indexOf(member);
        int count = liveMembers.size();
        if (index < 0) {
            count++;
            index = (int) liveMembers.stream().filter(other -> other.compareTo(member) < 0).count();
        }
        return totalPartitions / count + (index < totalPartitions % count ? 1 : 0);
    }
}
