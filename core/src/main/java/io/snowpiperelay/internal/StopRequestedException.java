package io.snowpiperelay.internal;

/**
 * Unwinds a runner's loop to its drain when {@code close()} was called during a wait (a source retry, a
 * backpressure wait, a reopen backoff). Control flow, not a failure: no stack trace, never reaches a user.
 */
public final class StopRequestedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequestedException() {
        super("stop requested", null, false, false);
    }
}
