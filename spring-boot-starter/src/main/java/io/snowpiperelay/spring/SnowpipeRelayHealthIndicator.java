package io.snowpiperelay.spring;

import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the relay ({@code /actuator/health/snowpipeRelay}): DOWN as soon as a channel failed,
 * with each channel's state and, for a failed one, the error's type and message (and its
 * {@link RelayHaltedException.Reason} when it has one); UP while every channel runs;
 * UNKNOWN before the relay starts. The relay's error messages carry names, offsets and tokens, never a secret
 * or a row. Thread-safe.
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
        Map<String, Throwable> failures = relay.group().failures();
        Map<String, Object> channels = new LinkedHashMap<>();
        relay.group().states().forEach((name, state) -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state);
            Throwable failure = failures.get(name);
            if (failure != null) {
                detail.put("error", reason(failure));
                if (failure instanceof RelayHaltedException halted) {
                    // The machine-readable why, for alert rules: AUTHENTICATION, OBJECT_NOT_FOUND, ...
                    detail.put("reason", halted.reason());
                }
            }
            channels.put(name, detail);
        });
        Health.Builder health;
        if (!failures.isEmpty()) {
            health = Health.down().withDetail("failed", failures.keySet());
        } else if (relay.isRunning()) {
            boolean allRunning = relay.group().states().values().stream()
                    .noneMatch(s -> s == RunnerState.CLOSED || s == RunnerState.CLOSING);
            health = allRunning ? Health.up() : Health.outOfService();
        } else {
            health = Health.unknown();
        }
        return health.withDetail("channels", channels).build();
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > MAX_REASON_CHARS) {
            message = message.substring(0, MAX_REASON_CHARS) + "...";
        }
        return failure.getClass().getSimpleName() + ": " + message;
    }
}
