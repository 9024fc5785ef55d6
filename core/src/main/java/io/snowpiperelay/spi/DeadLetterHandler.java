package io.snowpiperelay.spi;

/**
 * Receives records the relay cannot send: a payload that is not a JSON object, a row over the size cap, or (with
 * a row check, {@code ExactlyOnceChannelRunner.Builder#rowChecker}) a row the target table would reject.
 *
 * <p>The handler must store the dead letter durably before it returns: the runner treats a normal return as
 * "recorded" and may then delete the offset from the source once later rows commit. If it throws, the
 * runner stops with that error and deletes nothing past the record.
 *
 * <p>Called from the runner's thread; one call at a time per runner.
 */
@FunctionalInterface
public interface DeadLetterHandler {

    /** Stores {@code deadLetter} durably, or throws. */
    void handle(DeadLetter deadLetter);
}
