package io.snowpiperelay.examples.outbox;

import io.snowpiperelay.postgres.PostgresOffsetSource;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/** A {@link SkiOutbox} in the outbox tables of a PostgreSQL database ({@link PostgresOutbox}). */
public final class PostgresSkiOutbox implements SkiOutbox {

    private final PostgresOutbox outbox;
    private final String location;

    private PostgresSkiOutbox(PostgresOutbox outbox, String location) {
        this.outbox = outbox;
        this.location = location;
    }

    /**
     * Opens the outbox in the database at {@code jdbcUrl} (default schema, the given tables, the given partition
     * counts per stream); creates the tables only when {@code create}.
     */
    public static PostgresSkiOutbox open(String jdbcUrl, OutboxCredentials credentials, boolean create,
                                         OutboxTableOptions tables, Map<String, Integer> partitions) {
        PGSimpleDataSource dataSource = dataSource(jdbcUrl, credentials);
        PostgresOutboxConfig.Builder config = PostgresOutboxConfig.builder().createTables(create)
                .tablePrefix(tables.tablePrefix());
        partitions.forEach(config::partitions);
        PostgresOutbox outbox = PostgresOutbox.open(dataSource, config.build());
        return new PostgresSkiOutbox(outbox, withoutParameters(jdbcUrl) + " (" + outbox.table() + ")");
    }

    /** A data source for the database at {@code jdbcUrl}, logging in with {@code credentials}. */
    public static PGSimpleDataSource dataSource(String jdbcUrl, OutboxCredentials credentials) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        if (credentials.user() != null) {
            dataSource.setUser(credentials.user());
        }
        char[] password = credentials.password();
        if (password != null) {
            dataSource.setPassword(new String(password));
            Arrays.fill(password, '\0');
        }
        return dataSource;
    }

    /** A JDBC URL without its {@code ?...} parameters, which may carry a password. */
    static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    /** The PostgreSQL outbox itself. */
    public PostgresOutbox outbox() {
        return outbox;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void appendAll(String stream, List<String> jsonPayloads) {
        outbox.appendAll(stream, jsonPayloads);
    }

    @Override
    public long pendingCount(String stream) {
        return outbox.pendingCount(stream);
    }

    @Override
    public List<io.snowpiperelay.spi.DeadLetter> deadLetters(String stream) {
        return outbox.deadLetters(stream);
    }

    @Override
    public long deadLetterCount(String stream) {
        return outbox.deadLetterCount(stream);
    }

    @Override
    public long appendedCount(String stream) {
        // Offsets are given by the relay after commit: the stamped ones plus those still waiting for it.
        return outbox.highestIssuedOffset(stream).orElse(0) + outbox.unstampedCount(stream);
    }

    @Override
    public List<String> streams() {
        return outbox.streams();
    }

    @Override
    public RelaySource openSource(String stream) {
        PostgresOffsetSource source = outbox.openSource(stream);
        return new RelaySource(source, source, source);
    }

    @Override
    public void close() {
        outbox.close();
    }
}
