package io.snowpiperelay.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outbox's read connection, used by inspection methods. Separate from the write connection so that
 * inspection never blocks producers (WAL lets readers and the writer work at once). Thread-safe: one caller
 * at a time holds {@link #lock}, which guards {@link #connection}.
 */
public final class OutboxReader implements AutoCloseable {

    private final OutboxContext context;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;

    public OutboxReader(OutboxContext context, Connection connection) {
        this.context = context;
        this.connection = connection;
    }

    /**
     * Runs {@code work} on the read connection.
     *
     * @throws io.snowpiperelay.sqlite.OutboxException if the outbox is closed or {@code work} fails
     */
    public <T> T read(String stream, String operation, SqlWork<T> work) {
        lock.lock();
        try {
            context.ensureOpen(stream);
            return work.run(connection);
        } catch (SQLException e) {
            throw context.failure(stream, operation, e);
        } finally {
            lock.unlock();
        }
    }

    /** The first column of the first row of {@code sql} (with {@code parameter} bound if not null), or 0. */
    public long readLong(String stream, String operation, String sql, String parameter) {
        return read(stream, operation, connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                if (parameter != null) {
                    query.setString(1, parameter);
                }
                return singleLong(query);
            }
        });
    }

    /** The first column of the first row {@code query} returns, or 0 if none. */
    public static long singleLong(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0L;
        }
    }

    /** Closes the connection once any read in progress has finished. */
    @Override
    public void close() {
        lock.lock();
        try {
            OutboxContext.closeQuietly(connection, null);
        } finally {
            lock.unlock();
        }
    }
}
