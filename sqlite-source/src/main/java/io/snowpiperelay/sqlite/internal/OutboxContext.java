package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.sqlite.OutboxConfig;
import io.snowpiperelay.sqlite.OutboxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * What every part of one outbox shares: its file, its configuration, whether it is closed, and how its
 * failures read. One instance per {@code SqliteOutbox}. Thread-safe: {@link #closed} is volatile.
 */
public final class OutboxContext {

    private static final Logger log = LoggerFactory.getLogger(OutboxContext.class);

    private final Path file;
    private final OutboxConfig config;
    private volatile boolean closed;

    public OutboxContext(Path file, OutboxConfig config) {
        this.file = file;
        this.config = config;
    }

    public Path file() {
        return file;
    }

    public OutboxConfig config() {
        return config;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Marks the outbox closed; returns false if it already was. */
    public boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** @throws OutboxException if the outbox is closed */
    public void ensureOpen(String stream) {
        if (closed) {
            throw closedException(stream);
        }
    }

    public OutboxException closedException(String stream) {
        return new OutboxException(file, stream, "outbox " + file + (stream == null ? "" : " stream " + stream)
                + ": the outbox is closed; open it again with SqliteOutbox.open", null);
    }

    /** The exception for a failed {@code operation}: says the outbox is closed if it is, since that is the cause. */
    public OutboxException failure(String stream, String operation, SQLException e) {
        if (closed) {
            return closedException(stream);
        }
        return new OutboxException(file, stream, "outbox " + file + (stream == null ? "" : " stream " + stream)
                + ": " + operation + " failed: " + e.getMessage()
                + "; check that the file is readable and writable, the disk is not full, and no other process"
                + " holds a write transaction longer than busyTimeout " + config.busyTimeout(), e);
    }

    /** Closes {@code closeable}; a failure is added to {@code primary} if given, else logged. */
    public static void closeQuietly(AutoCloseable closeable, Exception primary) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                log.warn("closing {} failed: {}", closeable, e.toString());
            }
        }
    }
}
