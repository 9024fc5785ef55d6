package io.snowpiperelay.spring;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.postgres.PartitionAssignment;
import io.snowpiperelay.postgres.RelayFleet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the relay ({@code /actuator/health/snowpipeRelay}).
 * <ul>
 *   <li>DOWN as soon as a channel failed, with each channel's state and, for a failed one, the error's type and
 *       message (and its {@link RelayHaltedException.Reason} when it has one); DOWN when the fleet member stopped
 *       on its own or cannot read its lease table.</li>
 *   <li>UP while every channel runs; UNKNOWN before the relay starts; OUT_OF_SERVICE while channels close.</li>
 *   <li>A channel that cannot reach the Snowpipe Streaming service shows {@code unreachable} ("cannot reach the
 *       service at URL since T: CAUSE") while it lasts, and the top level lists such channels under
 *       {@code unreachable}. The status stays UP: the relay keeps retrying and loses nothing, and the application
 *       keeps taking writes into its outbox, so taking the instance out of service would not help.</li>
 *   <li>With a fleet: {@code fleet} shows the member id, the channels (partitions) this member owns, and every
 *       partition's live owner; the owned partitions' runners appear under {@code channels} as
 *       {@code <NAME>_P<n>}. A partition runner that fails does not make the health DOWN: the member releases
 *       the partition and it is claimed again.</li>
 * </ul>
 * The relay's error messages carry names, offsets and tokens, never a secret or a row. Thread-safe.
 */
public final class SnowpipeRelayHealthIndicator implements HealthIndicator {
    /** Longest error message shown per channel, so one odd message cannot flood the health response. */
    static final int MAX_REASON_CHARS = 500;

    private final SnowpipeRelay relay;

    /** @param relay the relay to report on */
    public SnowpipeRelayHealthIndicator(SnowpipeRelay relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    @Override
    public Health health() {
        Map<String, Object> channels = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        Map<String, Throwable> failures = Map.of();
        boolean allRunning = true;
        Optional<RelayGroup> group = relay.channelGroup();
        if (group.isPresent()) {
            failures = group.get().failures();
            Map<String, RunnerMetrics> metrics = group.get().metrics();
            for (Map.Entry<String, RunnerState> e : group.get().states().entrySet()) {
                channels.put(e.getKey(), channel(e.getValue(), failures.get(e.getKey()), metrics.get(e.getKey()),
                        unreachable, e.getKey()));
                allRunning &= e.getValue() != RunnerState.CLOSED && e.getValue() != RunnerState.CLOSING;
            }
        }
        Map<String, Object> fleetDetail = null;
        String fleetDown = null;
        Optional<RelayFleet> fleet = relay.fleet();
        if (fleet.isPresent()) {
            for (Map.Entry<String, ExactlyOnceChannelRunner> e : fleet.get().runners().entrySet()) {
                ExactlyOnceChannelRunner runner = e.getValue();
                channels.put(e.getKey(), channel(runner.state(), runner.failure().orElse(null), runner.metrics(),
                        unreachable, e.getKey()));
            }
            fleetDetail = new LinkedHashMap<>();
            fleetDetail.put("member", fleet.get().memberId());
            fleetDetail.put("owned", fleet.get().ownedChannels());
            Optional<SnowpipeRelay.FleetFailure> failure = relay.fleetFailure();
            if (failure.isPresent()) {
                fleetDown = failure.get().reason();
                fleetDetail.put("error", cut(fleetDown));
                fleetDetail.put("since", failure.get().since().toString());
            } else if (relay.isRunning()) {
                try {
                    Map<String, Object> partitions = new LinkedHashMap<>();
                    for (PartitionAssignment a : fleet.get().assignments()) {
                        partitions.put(a.channel(), a.liveOwner().orElse("(free)"));
                    }
                    fleetDetail.put("partitions", partitions);
                } catch (RuntimeException e) {
                    fleetDown = reason(e);
                    fleetDetail.put("error", fleetDown);
                }
            }
        }
        Health.Builder health;
        if (!failures.isEmpty() || fleetDown != null) {
            health = Health.down();
            if (!failures.isEmpty()) {
                health.withDetail("failed", failures.keySet());
            }
        } else if (relay.isRunning()) {
            health = allRunning ? Health.up() : Health.outOfService();
        } else {
            health = Health.unknown();
        }
        if (!unreachable.isEmpty()) {
            health.withDetail("unreachable", unreachable);
        }
        if (fleetDetail != null) {
            health.withDetail("fleet", fleetDetail);
        }
        return health.withDetail("channels", channels).build();
    }

    private static Map<String, Object> channel(RunnerState state, Throwable failure, RunnerMetrics metrics,
                                               List<String> unreachable, String name) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("state", state);
        if (failure != null) {
            detail.put("error", reason(failure));
            if (failure instanceof RelayHaltedException halted) {
                // The machine-readable why, for alert rules: AUTHENTICATION, OBJECT_NOT_FOUND, ...
                detail.put("reason", halted.reason());
            }
        }
        if (metrics != null && metrics.serviceUnreachable() != null) {
            detail.put("unreachable", cut(metrics.serviceUnreachable()));
            unreachable.add(name);
        }
        return detail;
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        return failure.getClass().getSimpleName() + ": " + cut(message);
    }

    private static String cut(String message) {
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > MAX_REASON_CHARS) {
            message = message.substring(0, MAX_REASON_CHARS) + "...";
        }
        return message;
    }
}
