package io.snowpiperelay.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults waiting to be applied by an emulator ({@link SnowpipeEmulator#faults()}). Faults are consumed in
 * the order they were added: a request takes the first fault whose endpoint matches and that has uses left.
 * Thread-safe; survives {@link SnowpipeEmulator#restart()}.
 */
public final class FaultInjector {

    /** Guarded by {@code this}. */
    private final List<Armed> armed = new ArrayList<>();
    private volatile boolean empty = true;

    FaultInjector() {
    }

    /** Arm one or more faults. */
    public synchronized FaultInjector add(Fault... faults) {
        for (Fault fault : faults) {
            armed.add(new Armed(fault, fault.times()));
        }
        empty = armed.isEmpty();
        return this;
    }

    /** Disarm every fault that has not been used up. */
    public synchronized void clear() {
        armed.clear();
        empty = true;
    }

    /** The faults that still have uses left, each with its remaining count in {@link Fault#times()}. */
    public synchronized List<Fault> pending() {
        List<Fault> result = new ArrayList<>();
        for (Armed a : armed) {
            result.add(a.fault.times(a.remaining));
        }
        return result;
    }

    /** Takes one use of the first fault matching {@code endpoint}, or returns null. Lock-free when empty. */
    Fault take(Endpoint endpoint) {
        if (empty) {
            return null;
        }
        synchronized (this) {
            for (int i = 0; i < armed.size(); i++) {
                Armed a = armed.get(i);
                if (a.fault.endpoint().matches(endpoint)) {
                    if (--a.remaining == 0) {
                        armed.remove(i);
                        empty = armed.isEmpty();
                    }
                    return a.fault;
                }
            }
            return null;
        }
    }

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }
}
