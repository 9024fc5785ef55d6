package io.snowpiperelay.sqlite;

import java.nio.file.Path;

/**
 * Thrown by {@link SqliteOutbox#openSource(String)} when another relay, in this process or another one,
 * already drains the same stream of the same outbox file. Two relays on one stream would each send the
 * rows to their own channel (or fence each other on the same channel), so the second one is refused.
 *
 * <p>The guard is an operating-system file lock on {@link #lockFile()}: it is released by
 * {@link SqliteOffsetSource#close()} and, if the holder dies (even by {@code kill -9}), by the operating
 * system. Retrying later is safe.
 */
public final class OutboxLockedException extends OutboxException {
    private static final long serialVersionUID = 1L;

    private final transient Path lockFile;

    /**
     * @param file     the outbox file
     * @param stream   the stream that is already relayed
     * @param lockFile the sidecar lock file
     * @param holder   who holds it, e.g. "another relay in this process" or "another process (pid 4711)"
     */
    public OutboxLockedException(Path file, String stream, Path lockFile, String holder) {
        super(file, stream, "outbox " + file + " stream " + stream + " is already being relayed by " + holder
                + " (lock file " + lockFile + "); run one relay per outbox stream", null);
        this.lockFile = lockFile;
    }

    /** The sidecar file whose lock guards the stream: {@code <outbox file>.<stream>.relay.lock}. */
    public Path lockFile() {
        return lockFile;
    }

    /** The stream that is already relayed (never empty for this exception). */
    public String streamName() {
        return stream().orElseThrow();
    }
}
