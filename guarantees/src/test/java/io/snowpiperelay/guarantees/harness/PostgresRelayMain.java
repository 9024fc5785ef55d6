package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RelayGroup;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.examples.cli.SetupSql;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.postgres.PostgresOffsetSource;
import io.snowpiperelay.postgres.PostgresOutbox;
import io.snowpiperelay.postgres.PostgresOutboxConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link RelayMain} on a PostgreSQL outbox: one {@link RelayGroup} relaying the three ski-resort streams of the outbox
 * tables with {@code --table-prefix} in the database at {@code --outbox}, printing the same {@link Markers}. The
 * password, if any, comes from the environment variable {@code PGPASSWORD}, never from the command line.
 *
 * <pre>
 * PostgresRelayMain --outbox jdbc:postgresql://HOST:PORT/DB --user U --table-prefix P --profile FILE
 *                   --channel-prefix C [--delete-chunk-rows N]
 * </pre>
 * Exit code 0 after a graceful close, 2 after a graceful close when a channel failed, 3 when it could not start.
 */
public final class PostgresRelayMain {

    private PostgresRelayMain() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        java.util.Map<String, String> options = RelayMain.parse(args);
        String prefix = options.get("--channel-prefix");
        AtomicInteger fatal = new AtomicInteger();
        PostgresOutbox outbox = null;
        List<PostgresOffsetSource> sources = new ArrayList<>();
        RelayGroup group;
        try {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(options.get("--outbox"));
            dataSource.setUser(options.get("--user"));
            String password = System.getenv("PGPASSWORD");
            if (password != null) {
                dataSource.setPassword(password);
            }
            outbox = PostgresOutbox.open(dataSource, PostgresOutboxConfig.builder()
                    .tablePrefix(options.get("--table-prefix"))
                    .deleteChunkRows(Integer.parseInt(options.getOrDefault("--delete-chunk-rows", "1000")))
                    .build());
            RelayGroup.Builder builder = RelayGroup.builder()
                    .profile(ClientProfile.fromJsonFile(Path.of(options.get("--profile"))))
                    .config(RunnerConfig.defaults())
                    .clientNamePrefix("pg-torture-" + ProcessHandle.current().pid())
                    .listener(new RelayMain.MarkerListener(out, fatal));
            for (SkiTable table : SkiTable.values()) {
                PostgresOffsetSource source = outbox.openSource(table.streamName());
                sources.add(source);
                String channel = prefix + "_" + table.streamName();
                PipeName pipe = PipeName.of(SetupSql.DATABASE, SetupSql.SCHEMA, table.streamName() + "_PIPE");
                builder.channel(pipe, channel, new MarkingSource(source, channel, out), source, null);
            }
            group = builder.build();
        } catch (RuntimeException e) {
            RelayMain.refuse(out, e, () -> sources.forEach(PostgresOffsetSource::close));
            return;
        }
        PostgresOutbox opened = outbox;
        RelayMain.serveUntilStdinCloses(out, group, fatal, () -> {
            sources.forEach(PostgresOffsetSource::close);
            opened.close();
        });
    }
}
