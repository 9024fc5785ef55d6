package io.snowpiperelay.examples.cli;

import io.snowpiperelay.RunnerMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Prints "cannot reach the service at ..." on the command's error stream when the relay's metrics say so: once
 * when it starts or changes, then again every {@code repeatEvery} while it lasts, one line for all channels
 * (they share the URL). Called from the command's loop; not thread-safe.
 */
final class UnreachableNotice {
    /** How often the line is repeated while the service cannot be reached. */
    static final Duration DEFAULT_REPEAT_EVERY = Duration.ofSeconds(30);

    private final PrintWriter err;
    private final long repeatNanos;
    private String shown;
    private long shownAtNanos;

    UnreachableNotice(PrintWriter err, Duration repeatEvery) {
        this.err = Objects.requireNonNull(err, "err");
        this.repeatNanos = repeatEvery.toNanos();
    }

    /** Looks at the channels' metrics and prints the line if it is new or due again. */
    void update(Collection<RunnerMetrics> metrics, long nowNanos) {
        TreeSet<String> problems = new TreeSet<>();
        for (RunnerMetrics m : metrics) {
            if (m.serviceUnreachable() != null) {
                problems.add(m.serviceUnreachable());
            }
        }
        String text = problems.isEmpty() ? null : String.join("; ", problems);
        if (text == null) {
            if (shown != null) {
                err.println("the service is reachable again");
                err.flush();
            }
            shown = null;
            return;
        }
        if (!text.equals(shown) || nowNanos - shownAtNanos >= repeatNanos) {
            err.println(text + " (the SDK keeps retrying; check the profile's url, DNS, the firewall and any proxy;"
                    + " docs/operations.md)");
            err.flush();
            shown = text;
            shownAtNanos = nowNanos;
        }
    }
}
