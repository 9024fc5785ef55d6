package io.snowpiperelay.testkit.internal;

import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.Fault;
import io.snowpiperelay.testkit.RecordedRequest;

/** What the HTTP layer needs from the emulator facade: faults, recording and counting. Thread-safe. */
public interface Hooks {

    /** Takes one use of a fault for this request, or null. */
    Fault fault(Endpoint endpoint);

    /** Whether requests are being recorded (bodies are then copied). */
    boolean recording();

    void record(RecordedRequest request);

    void count(Endpoint endpoint);
}
