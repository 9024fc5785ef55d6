package io.snowpiperelay;

/**
 * The lifecycle of an {@link ExactlyOnceChannelRunner}.
 *
 * <pre>
 * NEW ─run()─▶ OPENING ─▶ RUNNING ⇄ REOPENING
 *                 │           │
 *                 │           └─close()─▶ CLOSING ─▶ CLOSED
 *                 └──────── any fatal error ──────▶ FAILED
 * NEW ─close()─▶ CLOSED
 * </pre>
 * CLOSED and FAILED are terminal.
 */
public enum RunnerState {
    /** Built, {@code run()} not called yet. */
    NEW,
    /** Opening the channel and reading its committed token. */
    OPENING,
    /** Reading, appending, confirming and cleaning up. */
    RUNNING,
    /** The channel or client failed; reopening with backoff, then rewinding to the committed token. */
    REOPENING,
    /** {@code close()} was called: draining within the close timeout. */
    CLOSING,
    /** Stopped after a graceful close. Terminal. */
    CLOSED,
    /** Stopped by a fatal error, see {@code failure()}. Terminal. */
    FAILED;

    /** Whether the runner will never move again. */
    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
