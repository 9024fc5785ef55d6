package io.snowpiperelay.sqlite.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on a connection while its lock is held. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
