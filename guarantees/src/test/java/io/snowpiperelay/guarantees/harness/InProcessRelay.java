package io.snowpiperelay.guarantees.harness;

import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.PipeName;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.spi.DeadLetterHandler;
import io.snowpiperelay.spi.OffsetSource;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;

/**
 * An in-process fixture: an emulator with the ski-resort objects (plus any SQL), an outbox, and runners on threads
 * of their own. {@link #close()} closes every runner, source, the outbox and the emulator.
 */
public final class InProcessRelay implements AutoCloseable {
    public final SnowpipeEmulator emulator;
    public final SqliteOutbox outbox;
    private final List<ExactlyOnceChannelRunner> runners = new ArrayList<>();
    private final List<SqliteOffsetSource> sources = new ArrayList<>();

    public InProcessRelay(Path dir, Duration commitLag, String... extraSql) {
        SnowpipeEmulator.Builder b = SnowpipeEmulator.builder().port(0).commitLag(commitLag)
                .sql(io.snowpiperelay.examples.cli.SetupSql.text());
        for (String sql : extraSql) {
            b.sql(sql);
        }
        this.emulator = b.start();
        this.outbox = SqliteOutbox.open(dir.resolve("outbox.db"));
    }

    /** The pipe of a table of the setup schema (default streaming pipe unless {@code pipe} is given). */
    public static PipeName pipe(String pipe) {
        return PipeName.of(Emulators.DATABASE, Emulators.SCHEMA, pipe);
    }

    /** A builder pre-filled with the emulator's profile, {@code pipe}, {@code channel} and {@code source}. */
    public ExactlyOnceChannelRunner.Builder runner(PipeName pipe, String channel, OffsetSource source,
                                                   RunnerConfig config, RecordingListener listener) {
        return ExactlyOnceChannelRunner.builder()
                .profile(Emulators.profile(emulator))
                .pipe(pipe)
                .channelName(channel)
                .source(source)
                .config(config)
                .listener(listener);
    }

    /** Opens the outbox stream as a source (closed by {@link #close()} unless closed before). */
    public SqliteOffsetSource source(String stream) {
        SqliteOffsetSource s = outbox.openSource(stream);
        sources.add(s);
        return s;
    }

    /** Starts {@code runner} on a daemon thread of its own. */
    public ExactlyOnceChannelRunner start(ExactlyOnceChannelRunner runner) {
        runners.add(runner);
        Thread t = new Thread(runner, "runner-" + runner.channelName());
        t.setDaemon(true);
        t.start();
        return runner;
    }

    /** Builds and starts a runner on the stream's source, with the source as dead-letter handler. */
    public ExactlyOnceChannelRunner startOn(PipeName pipe, String channel, String stream, RunnerConfig config,
                                            RecordingListener listener) {
        SqliteOffsetSource s = source(stream);
        return start(runner(pipe, channel, s, config, listener).deadLetterHandler((DeadLetterHandler) s).build());
    }

    /** Waits until the runner reaches a terminal state. */
    public static void awaitTerminal(ExactlyOnceChannelRunner runner, Duration timeout) {
        Awaitility.await(runner.channelName() + " stopped").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> runner.state().isTerminal());
    }

    /** Waits until drained; fails fast if the runner failed. */
    public static void awaitDrained(ExactlyOnceChannelRunner runner, Duration timeout) throws InterruptedException {
        if (!runner.awaitDrained(timeout)) {
            throw new AssertionError(runner.channelName() + " not drained within " + timeout + ": "
                    + runner.metrics());
        }
    }

    /**
     * Waits until {@code table} holds {@code rows} rows and the stream is empty in the outbox, or the runner stopped
     * (then returns at once, for the caller to assert on its state).
     */
    public void awaitLanded(ExactlyOnceChannelRunner runner, String table, String stream, long rows,
                            Duration timeout) {
        Awaitility.await(rows + " rows in " + table).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> runner.state().isTerminal()
                        || (count(table) >= rows && outbox.pendingCount(stream) == 0));
    }

    /** count(*) of a table in the emulator's store. */
    public long count(String table) {
        return emulator.queryForLong("SELECT count(*) FROM " + table);
    }

    /** The values of {@code column} in {@code table}, sorted. */
    public Set<String> values(String table, String column) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> row : emulator.query("SELECT " + column + " AS v FROM " + table)) {
            out.add(String.valueOf(row.get("v")));
        }
        return out;
    }

    /** Whether the runner is in {@code state}. */
    public static boolean is(ExactlyOnceChannelRunner runner, RunnerState state) {
        return runner.state() == state;
    }

    @Override
    public void close() {
        for (ExactlyOnceChannelRunner r : runners) {
            r.close();
        }
        for (SqliteOffsetSource s : sources) {
            s.close();
        }
        outbox.close();
        emulator.close();
    }
}
