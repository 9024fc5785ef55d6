package io.snowpiperelay.guarantees.harness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/** The relay's sessions as a PostgreSQL server sees them, for harnesses that kill and restart a relay. */
public final class PostgresSessions {

    private PostgresSessions() {
    }

    /**
     * Waits until the server has ended every relay session (application name {@code snowpipe-relay ...}) and so
     * released their advisory locks. After a SIGKILL that takes as long as the server needs to notice the closed
     * socket; a relay started before then would be refused the stream.
     */
    public static void awaitNoRelaySession(DataSource dataSource, Duration timeout) {
        Awaitility.await("the killed relay's sessions ended").atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> relaySessions(dataSource) == 0);
    }

    private static long relaySessions(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE"
                     + " 'snowpipe-relay %'")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
