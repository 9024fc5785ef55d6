package io.snowpiperelay.guarantees.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.examples.generator.GeneratedEvent;
import io.snowpiperelay.examples.generator.SkiResortGenerator;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.sqlite.SqliteOutbox;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.Fault;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.Awaitility;

/**
 * Exactly once under fire. A {@link RelayMain} in its own JVM relays the three ski-resort streams of a SQLite outbox
 * into an in-process {@link SnowpipeEmulator} with a durable store, while
 * <ul>
 *   <li>a producer keeps appending ski-resort events to the outbox (plus a few payloads made bad on purpose: not
 *       JSON, or JSON that is not an object, at known offsets);</li>
 *   <li>the harness kills the relay with SIGKILL at random moments (right after an {@code APPENDED} marker, so
 *       before that append's commit is confirmed; right after a {@code DELETING} marker, in the middle of a source
 *       delete; after a random delay) and starts it again;</li>
 *   <li>the emulator injects faults: 503 and 429 bursts, dropped connections and responses, added latency,
 *       stalled commits, channel invalidation, and restarts on the same store.</li>
 * </ul>
 * At the end it stops the producer and the faults, lets a last relay drain the outbox, closes it gracefully and
 * checks with SQL on the emulator's store that every produced row is there exactly once (count = distinct TXID =
 * produced, and the sets of TXIDs are equal), that the outbox is empty and that the dead-letter table holds exactly
 * the bad rows. Everything random comes from one seeded {@link Random}; the seed is printed.
 */
public final class TortureHarness {

    /** How a kill was timed. */
    public enum KillMoment {
        /** Right after an appendRows call returned (usually before its commit was confirmed). */
        AFTER_APPEND,
        /** Right after the relay announced a source delete (in the middle of it, or just after). */
        DURING_DELETE,
        /** Right after the relay reopened a channel the harness invalidated: in the middle of a recovery. */
        AFTER_REOPEN,
        /** After a random delay (also: a marker-based moment whose marker did not come within 20 s). */
        RANDOM_DELAY
    }

    /** The faults the emulator injects. */
    public enum FaultKind {
        HTTP_503_BURST, HTTP_429_BURST, DROP_CONNECTION, DROP_RESPONSE, LATENCY, STALL_COMMITS, INVALIDATE_CHANNEL,
        EMULATOR_RESTART;

        boolean invalidatesChannels() {
            return this == INVALIDATE_CHANNEL || this == EMULATOR_RESTART;
        }
    }

    /**
     * What to run.
     *
     * @param seed               seed of every random choice
     * @param kills              SIGKILLs of the relay, at least
     * @param minRows            events to produce, at least (the producer goes on until the kills are done)
     * @param rowsPerSecond      producer rate
     * @param faultEvery         mean time between two faults
     * @param channelFaultSpacing least time between two faults that invalidate channels (see docs/guarantees.md)
     * @param drainTimeout       how long the final relay may take to drain
     * @param dir                working directory (outbox, store, logs)
     */
    public record Settings(long seed, int kills, long minRows, int rowsPerSecond, Duration faultEvery,
                           Duration channelFaultSpacing, Duration drainTimeout, Path dir) {
    }

    /** What happened and what was found. */
    public record Result(long seed, Map<SkiTable, Long> produced, Map<SkiTable, Long> landed,
                         Map<SkiTable, Long> distinctLanded, long duplicates, long missing, long unexpected,
                         int deadLettersExpected, int deadLettersFound, long outboxLeft, int kills,
                         Map<KillMoment, Integer> killsByMoment, int killsBeforeCommitConfirmed, int killsMidDelete,
                         Map<FaultKind, Integer> faults, long reopens, Duration elapsed) {

        /** Total rows produced (good ones). */
        public long producedTotal() {
            return produced.values().stream().mapToLong(Long::longValue).sum();
        }

        /** One line for the build log. */
        public String summary() {
            return String.format(java.util.Locale.ROOT,
                    "TORTURE seed=%d rows=%d %s kills=%d %s (before-commit-confirmed=%d, mid-delete=%d) faults=%s"
                            + " reopens=%d duplicates=%d missing=%d unexpected=%d dead-letters=%d/%d outbox-left=%d"
                            + " elapsed=%ds",
                    seed, producedTotal(), produced, kills, killsByMoment, killsBeforeCommitConfirmed,
                    killsMidDelete, faults, reopens, duplicates, missing, unexpected, deadLettersFound,
                    deadLettersExpected, outboxLeft, elapsed.toSeconds());
        }
    }

    private static final String CHANNEL_PREFIX = "TORTURE";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration COMMIT_LAG = Duration.ofMillis(300);
    private static final String[] BAD_PAYLOADS = {"not json {", "[1,2,3]", "\"just text\"", "42", "{\"TXID\": }",
            "null", "{\"TXID\":\"x\"} trailing"};

    private final Settings settings;
    private final Random random;
    private final ObjectMapper json = new ObjectMapper();

    // Producer state: written by the producer thread, read after it stopped (the executor's shutdown orders it).
    private final Map<SkiTable, Set<String>> producedKeys = new EnumMap<>(SkiTable.class);
    private final Set<String> expectedDeadLetters = ConcurrentHashMap.newKeySet(); // "STREAM:offset"
    private final AtomicLong producedRows = new AtomicLong();
    private final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    private final Map<FaultKind, LongAdder> faultCounts = new EnumMap<>(FaultKind.class);
    private final AtomicReference<Throwable> faultFailure = new AtomicReference<>();
    /** Set when the kills are over: the fault thread finishes the fault in hand and schedules no more. */
    private volatile boolean faultsStopping;
    private volatile long lastChannelFaultNanos;

    public TortureHarness(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        for (SkiTable t : SkiTable.values()) {
            producedKeys.put(t, new HashSet<>());
        }
        for (FaultKind k : FaultKind.values()) {
            faultCounts.put(k, new LongAdder());
        }
    }

    /** Runs the whole scenario and returns what it found; the caller asserts on the result. */
    public Result run() throws Exception {
        long started = System.nanoTime();
        System.out.println("TORTURE seed=" + settings.seed() + " (rerun with -Dtorture.seed=" + settings.seed() + ")");
        Path dir = settings.dir();
        Path outboxFile = dir.resolve("outbox.db");
        Path stderr = dir.resolve("relay.stderr.log");
        // Separate random streams so the producer's and the fault thread's draws do not depend on timing.
        Random producerRandom = new Random(random.nextLong());
        Random faultRandom = new Random(random.nextLong());
        try (SnowpipeEmulator emulator = Emulators.skiResort(dir.resolve("store.db"), COMMIT_LAG);
             SqliteOutbox outbox = SqliteOutbox.open(outboxFile)) {
            Path profile = Emulators.writeProfile(emulator.clientProperties(), dir.resolve("profile.json"));
            List<String> relayArgs = List.of("--outbox", outboxFile.toString(), "--profile", profile.toString(),
                    "--channel-prefix", CHANNEL_PREFIX, "--delete-chunk-rows", "200");
            for (SkiTable t : SkiTable.values()) {
                outbox.pendingCount(t.streamName()); // creates the stream tables before the relay opens them
            }

            ScheduledThreadPoolExecutor background = new ScheduledThreadPoolExecutor(2, r -> {
                Thread th = new Thread(r, "torture-background");
                th.setDaemon(true);
                return th;
            });
            // At the end, faults not yet due are dropped rather than run after shutdown().
            background.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            Map<KillMoment, Integer> killsByMoment = new EnumMap<>(KillMoment.class);
            int beforeCommitConfirmed = 0;
            int midDelete = 0;
            long reopens = 0;
            try {
                SkiResortGenerator generator = new SkiResortGenerator(producerRandom.nextLong());
                int perTick = Math.max(1, settings.rowsPerSecond() / 10);
                ScheduledFuture<?> producer = background.scheduleAtFixedRate(
                        () -> produce(outbox, generator, perTick, producerRandom), 0, 100, TimeUnit.MILLISECONDS);
                scheduleFault(background, emulator, faultRandom);

                int maxCycles = settings.kills() * 10;
                // At least the kills, the rows and one fault of every kind; bounded by maxCycles.
                for (int k = 0; k < settings.kills() || ((producedRows.get() < settings.minRows()
                        || faultCounts.values().stream().anyMatch(c -> c.sum() == 0)) && k < maxCycles); k++) {
                    checkBackground();
                    try (RelayProcess relay = RelayProcess.startRelay(stderr, List.of(),
                            relayArgs.toArray(String[]::new))) {
                        relay.awaitLine(Markers.READY, READY_TIMEOUT);
                        KillMoment moment = KillMoment.values()[random.nextInt(KillMoment.values().length)];
                        String marker = null;
                        switch (moment) {
                            case AFTER_APPEND -> {
                                int skip = random.nextInt(40);
                                for (int i = 0; i <= skip && (marker = relay.pollLine(
                                        l -> l.startsWith(Markers.APPENDED), MARKER_TIMEOUT)) != null; i++) {
                                    // skip a random number of appends
                                }
                            }
                            case DURING_DELETE -> {
                                int skip = random.nextInt(6);
                                for (int i = 0; i <= skip && (marker = relay.pollLine(
                                        l -> l.startsWith(Markers.DELETING), MARKER_TIMEOUT)) != null; i++) {
                                    // skip a random number of deletes
                                }
                            }
                            case AFTER_REOPEN -> {
                                SkiTable t = random.nextBoolean() ? SkiTable.LIFT_RIDE : SkiTable.RESORT_TICKET;
                                String channel = CHANNEL_PREFIX + "_" + t.streamName();
                                if (relay.pollLine(l -> l.startsWith(Markers.APPENDED + " " + channel + " "),
                                        MARKER_TIMEOUT) != null && invalidate(emulator, t)) {
                                    marker = relay.pollLine(l -> l.startsWith(Markers.REOPENED + " " + channel + " "),
                                            MARKER_TIMEOUT);
                                }
                            }
                            case RANDOM_DELAY -> {
                                Duration d = Duration.ofMillis(200 + random.nextInt(4000));
                                if (!relay.stillAliveAfter(d)) {
                                    throw new AssertionError("relay ended by itself: " + relay.stderrTail(60));
                                }
                            }
                        }
                        relay.kill();
                        if (marker == null && moment != KillMoment.RANDOM_DELAY) {
                            moment = KillMoment.RANDOM_DELAY; // no such marker within the timeout: killed anyway
                        }
                        killsByMoment.merge(moment, 1, Integer::sum);
                        List<String> rest = relay.drainLines(Duration.ofSeconds(5));
                        if (!relay.fatalLines().isEmpty()) {
                            throw new AssertionError("relay reported " + relay.fatalLines() + "\nstderr tail:\n"
                                    + relay.stderrTail(80));
                        }
                        if (marker != null && moment == KillMoment.AFTER_APPEND && !confirmedLater(marker, rest)) {
                            beforeCommitConfirmed++;
                        }
                        if (marker != null && moment == KillMoment.DURING_DELETE && !deletedLater(marker, rest)) {
                            midDelete++;
                        }
                        reopens += relay.markerCounts().getOrDefault(Markers.REOPENED, 0L);
                    }
                    if ((k + 1) % 10 == 0) {
                        System.out.printf(java.util.Locale.ROOT, "TORTURE progress: %d kills, %d rows produced, %ds%n",
                                k + 1, producedRows.get(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
                    }
                }
                producer.cancel(false);
            } finally {
                // No interrupt: a fault in progress (an emulator restart, say) must finish, or it would leave the
                // emulator half started for the last relay. Faults not yet due are dropped, none is scheduled again.
                faultsStopping = true;
                background.shutdown();
                if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("producer or fault thread did not stop");
                }
            }
            checkBackground();
            emulator.faults().clear();
            emulator.resumeCommits();

            // The last relay: no more faults, no more kills; it must drain everything and close cleanly.
            try (RelayProcess relay = RelayProcess.startRelay(stderr, List.of(), relayArgs.toArray(String[]::new))) {
                relay.awaitLine(Markers.READY, READY_TIMEOUT);
                Awaitility.await("outbox drained by the last relay")
                        .atMost(settings.drainTimeout())
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            if (!relay.fatalLines().isEmpty() || !relay.isAlive()) {
                                throw new AssertionError("last relay failed: " + relay.fatalLines() + "\n"
                                        + relay.stderrTail(80));
                            }
                            return outboxLeft(outbox) == 0 && SkiTotals.landed(emulator) >= producedRows.get();
                        });
                int exit = relay.stopGracefully(Duration.ofSeconds(60));
                if (exit != 0) {
                    throw new AssertionError("last relay exited with " + exit + "\n" + relay.stderrTail(80));
                }
                reopens += relay.markerCounts().getOrDefault(Markers.REOPENED, 0L);
            }
            return verify(emulator, outbox, killsByMoment, beforeCommitConfirmed, midDelete, reopens,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            keepLog(stderr);
        }
    }

    /** Copies the relays' stderr to target/guarantees-logs/ for a post-mortem (the temporary directory goes). */
    private void keepLog(Path stderr) {
        try {
            Path logs = Path.of("target", "guarantees-logs");
            java.nio.file.Files.createDirectories(logs);
            if (java.nio.file.Files.exists(stderr)) {
                java.nio.file.Files.copy(stderr, logs.resolve("torture-" + settings.seed() + ".relay.stderr.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not keep the relay log: " + e);
        }
    }

    // ------------------------------------------------------------------ producer

    private void produce(SqliteOutbox outbox, SkiResortGenerator generator, int rows, Random rnd) {
        if (producerFailure.get() != null) {
            return;
        }
        try {
            Map<SkiTable, List<String>> batch = new EnumMap<>(SkiTable.class);
            for (int i = 0; i < rows; i++) {
                GeneratedEvent e = generator.next();
                batch.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(e.json());
            }
            for (Map.Entry<SkiTable, List<String>> e : batch.entrySet()) {
                outbox.appendAll(e.getKey().streamName(), e.getValue());
                Set<String> keys = producedKeys.get(e.getKey());
                synchronized (keys) {
                    for (String payload : e.getValue()) {
                        if (!keys.add(txid(payload))) {
                            throw new IllegalStateException("generator repeated a TXID: " + txid(payload));
                        }
                    }
                }
                producedRows.addAndGet(e.getValue().size());
            }
            // About one bad row per 4000 good ones, on a random stream, followed by good rows (so it is not the
            // stream's last row, which stays in the outbox until a later row commits).
            if (rnd.nextInt(Math.max(1, 4000 / rows)) == 0 || expectedDeadLetters.isEmpty()) {
                SkiTable t = SkiTable.values()[rnd.nextInt(SkiTable.values().length)];
                long offset = outbox.append(t.streamName(), BAD_PAYLOADS[rnd.nextInt(BAD_PAYLOADS.length)]);
                expectedDeadLetters.add(t.streamName() + ":" + offset);
                for (SkiTable after : SkiTable.values()) {
                    // one good row after the bad one in every stream keeps every bad row off a stream's tail
                    GeneratedEvent e = generator.next();
                    for (int tries = 0; e.table() != after; tries++) {
                        if (tries > 1_000_000) {
                            throw new IllegalStateException("the generator produced no " + after + " event");
                        }
                        e = generator.next();
                    }
                    outbox.append(after.streamName(), e.json());
                    Set<String> keys = producedKeys.get(after);
                    synchronized (keys) {
                        keys.add(txid(e.json()));
                    }
                    producedRows.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            producerFailure.compareAndSet(null, t);
        }
    }

    private String txid(String payload) {
        try {
            JsonNode node = json.readTree(payload);
            return node.get("TXID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ faults

    private void scheduleFault(ScheduledExecutorService ex, SnowpipeEmulator emulator, Random rnd) {
        long meanMs = settings.faultEvery().toMillis();
        long delay = meanMs / 2 + (long) (rnd.nextDouble() * meanMs);
        ex.schedule(() -> {
            if (faultsStopping) {
                return;
            }
            try {
                injectFault(emulator, rnd);
                if (!faultsStopping) {
                    scheduleFault(ex, emulator, rnd);
                }
            } catch (Throwable t) {
                faultFailure.compareAndSet(null, t);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    // Fault thread only.
    private final List<FaultKind> firstRound = new ArrayList<>();
    private boolean firstRoundPlanned;

    private void injectFault(SnowpipeEmulator emulator, Random rnd) {
        if (!firstRoundPlanned) {
            firstRoundPlanned = true;
            firstRound.addAll(List.of(FaultKind.values()));
            Collections.shuffle(firstRound, rnd);
        }
        boolean channelFaultAllowed =
                System.nanoTime() - lastChannelFaultNanos >= settings.channelFaultSpacing().toNanos();
        FaultKind kind = null;
        // Every kind once first, in a shuffled order; channel-invalidating kinds wait for their spacing.
        for (int i = 0; i < firstRound.size() && kind == null; i++) {
            if (channelFaultAllowed || !firstRound.get(i).invalidatesChannels()) {
                kind = firstRound.remove(i);
            }
        }
        if (kind == null) {
            kind = FaultKind.values()[rnd.nextInt(FaultKind.values().length)];
            if (kind.invalidatesChannels() && !channelFaultAllowed) {
                kind = FaultKind.LATENCY; // keep channel-invalidating faults apart (see Settings)
            }
        }
        Endpoint[] retried = {Endpoint.APPEND, Endpoint.BULK_CHANNEL_STATUS, Endpoint.OPEN_CHANNEL};
        switch (kind) {
            case HTTP_503_BURST -> emulator.faults().add(Fault.status(503).times(1 + rnd.nextInt(4))
                    .on(retried[rnd.nextInt(retried.length)]));
            case HTTP_429_BURST -> emulator.faults().add(Fault.status(429).times(1 + rnd.nextInt(4))
                    .on(retried[rnd.nextInt(retried.length)]));
            case DROP_CONNECTION -> emulator.faults().add(Fault.dropConnection().times(1 + rnd.nextInt(3))
                    .on(retried[rnd.nextInt(retried.length)]));
            case DROP_RESPONSE -> emulator.faults().add(Fault.dropResponse().times(1 + rnd.nextInt(2))
                    .on(Endpoint.APPEND));
            case LATENCY -> emulator.faults().add(Fault.latency(Duration.ofMillis(100 + rnd.nextInt(700)))
                    .times(1 + rnd.nextInt(10)).on(Endpoint.ANY));
            case STALL_COMMITS -> emulator.stallCommits(Duration.ofMillis(500 + rnd.nextInt(3000)));
            case INVALIDATE_CHANNEL -> {
                SkiTable t = SkiTable.values()[rnd.nextInt(SkiTable.values().length)];
                emulator.invalidateChannel(Emulators.DATABASE, Emulators.SCHEMA, t.pipeName(),
                        CHANNEL_PREFIX + "_" + t.streamName());
                lastChannelFaultNanos = System.nanoTime();
            }
            case EMULATOR_RESTART -> {
                emulator.restart();
                lastChannelFaultNanos = System.nanoTime();
            }
        }
        faultCounts.get(kind).increment();
    }

    /** Invalidates a channel for an AFTER_REOPEN kill; false if the emulator was restarting meanwhile. */
    private boolean invalidate(SnowpipeEmulator emulator, SkiTable t) {
        try {
            boolean done = emulator.invalidateChannel(Emulators.DATABASE, Emulators.SCHEMA, t.pipeName(),
                    CHANNEL_PREFIX + "_" + t.streamName());
            if (done) {
                // Not counted for the spacing: it hits a relay that opened seconds ago, and the fault thread's
                // channel faults stay 12 s apart, so no channel is invalidated 3 times within fencingWindow.
                faultCounts.get(FaultKind.INVALIDATE_CHANNEL).increment();
            }
            return done;
        } catch (RuntimeException e) {
            return false; // the fault thread restarted the emulator at that moment
        }
    }

    private void checkBackground() {
        Throwable p = producerFailure.get();
        if (p != null) {
            throw new AssertionError("producer failed", p);
        }
        Throwable f = faultFailure.get();
        if (f != null) {
            throw new AssertionError("fault injection failed", f);
        }
    }

    // ------------------------------------------------------------------ markers

    /** Whether {@code rest} holds a COMMITTED line of the APPENDED line's channel at or above its last offset. */
    private static boolean confirmedLater(String appended, List<String> rest) {
        String[] a = appended.split(" ");
        long last = Long.parseLong(a[3]);
        for (String l : rest) {
            String[] c = l.split(" ");
            if (c[0].equals(Markers.COMMITTED) && c[1].equals(a[1]) && Long.parseLong(c[2]) >= last) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code rest} holds the DELETED line matching the DELETING line. */
    private static boolean deletedLater(String deleting, List<String> rest) {
        String done = Markers.DELETED + deleting.substring(Markers.DELETING.length());
        return rest.contains(done);
    }

    // ------------------------------------------------------------------ checks

    private static long outboxLeft(SqliteOutbox outbox) {
        return SkiTotals.outboxLeft(outbox::pendingCount);
    }

    private Result verify(SnowpipeEmulator emulator, SqliteOutbox outbox, Map<KillMoment, Integer> killsByMoment,
                          int beforeCommitConfirmed, int midDelete, long reopens, Duration elapsed) {
        Map<SkiTable, Long> produced = new LinkedHashMap<>();
        Map<SkiTable, Long> landed = new LinkedHashMap<>();
        Map<SkiTable, Long> distinct = new LinkedHashMap<>();
        long duplicates = 0;
        long missing = 0;
        long unexpected = 0;
        for (SkiTable t : SkiTable.values()) {
            Set<String> keys = producedKeys.get(t);
            produced.put(t, (long) keys.size());
            Map<String, Object> counts = emulator.query("SELECT count(*) AS n, count(DISTINCT TXID) AS d FROM "
                    + t.tableName()).get(0);
            long n = ((Number) counts.get("n")).longValue();
            long d = ((Number) counts.get("d")).longValue();
            landed.put(t, n);
            distinct.put(t, d);
            duplicates += n - d;
            Set<String> landedKeys = new HashSet<>((int) (d * 1.4));
            for (Map<String, Object> row : emulator.query("SELECT DISTINCT TXID FROM " + t.tableName())) {
                landedKeys.add(String.valueOf(row.get("TXID")));
            }
            for (String k : keys) {
                if (!landedKeys.contains(k)) {
                    missing++;
                }
            }
            for (String k : landedKeys) {
                if (!keys.contains(k)) {
                    unexpected++;
                }
            }
        }
        Set<String> foundDeadLetters = new TreeSet<>();
        for (SkiTable t : SkiTable.values()) {
            for (DeadLetter l : outbox.deadLetters(t.streamName())) {
                foundDeadLetters.add(t.streamName() + ":" + l.offset());
            }
        }
        if (!foundDeadLetters.equals(new TreeSet<>(expectedDeadLetters))) {
            throw new AssertionError("dead letters differ: expected " + new TreeSet<>(expectedDeadLetters)
                    + " found " + foundDeadLetters);
        }
        Map<FaultKind, Integer> faults = new TreeMap<>();
        faultCounts.forEach((k, v) -> faults.put(k, (int) v.sum()));
        int kills = killsByMoment.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(settings.seed(), produced, landed, distinct, duplicates, missing, unexpected,
                expectedDeadLetters.size(), foundDeadLetters.size(), outboxLeft(outbox), kills, killsByMoment,
                beforeCommitConfirmed, midDelete, faults, reopens, elapsed);
    }
}
