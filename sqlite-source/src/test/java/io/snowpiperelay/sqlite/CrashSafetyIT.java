package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.spi.SourceRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer process killed with SIGKILL in the middle of writing: every batch it was told was committed is
 * in the file afterwards, and no batch is there in part.
 */
class CrashSafetyIT {

    private static final int BATCHES_BEFORE_KILL = 300;
    private static final Pattern COMMITTED = Pattern.compile("COMMITTED (\\d+) (\\d+) (\\d+)");
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"batch\":(\\d+),\"i\":(\\d+),.*");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1} rows per batch")
    @CsvSource({"NORMAL, 100", "FULL, 100", "NORMAL, 1"})
    void everyReportedCommitSurvivesSigkillAndNoBatchIsPartial(SynchronousMode mode, int batchRows)
            throws Exception {
        Path file = dir.resolve("crash.db");
        List<String> reported = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(dir, CrashWriterMain.class,
                file.toString(), "TICKET", Integer.toString(batchRows), mode.name())) {
            child.awaitLine("READY", Duration.ofSeconds(60));
            for (int i = 0; i < BATCHES_BEFORE_KILL; i++) {
                reported.add(child.awaitLine("COMMITTED", Duration.ofSeconds(60)));
            }
            // The child is still writing flat out: the kill lands inside or between transactions.
            child.kill();
            reported.addAll(child.remainingLines().stream()
                    .filter(line -> line.startsWith("COMMITTED")).toList());
        }

        TreeMap<Long, long[]> reportedBatches = new TreeMap<>();
        for (String line : reported) {
            Matcher m = COMMITTED.matcher(line);
            if (m.matches()) {
                reportedBatches.put(Long.parseLong(m.group(1)),
                        new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            }
        }
        assertThat(reportedBatches).hasSizeGreaterThanOrEqualTo(BATCHES_BEFORE_KILL);

        try (SqliteOutbox outbox = SqliteOutbox.open(file);
             SqliteOffsetSource source = outbox.openSource("TICKET")) {
            TreeMap<Long, List<Long>> offsetsByBatch = new TreeMap<>();
            long after = 0;
            for (int reads = 0; reads < 100_000; reads++) {
                List<SourceRecord> records = source.getData(after, 10_000);
                if (records.isEmpty()) {
                    break;
                }
                for (SourceRecord record : records) {
                    Matcher m = PAYLOAD.matcher(record.json());
                    assertThat(m.matches()).as("payload at offset %d", record.offset()).isTrue();
                    offsetsByBatch.computeIfAbsent(Long.parseLong(m.group(1)), b -> new ArrayList<>())
                            .add(record.offset());
                    after = record.offset();
                }
            }

            // Nothing reported as committed is lost, at the offsets reported.
            reportedBatches.forEach((batch, range) -> {
                assertThat(offsetsByBatch).as("batch %d reported committed", batch).containsKey(batch);
                List<Long> offsets = offsetsByBatch.get(batch);
                assertThat(offsets.get(0)).isEqualTo(range[0]);
                assertThat(offsets.get(offsets.size() - 1)).isEqualTo(range[1]);
            });
            // No partial batch: every batch present is complete and contiguous.
            offsetsByBatch.forEach((batch, offsets) -> {
                assertThat(offsets).as("rows of batch %d", batch).hasSize(batchRows);
                assertThat(offsets.get(batchRows - 1) - offsets.get(0)).isEqualTo(batchRows - 1);
            });
            // At most one batch committed after the last line the child managed to print.
            long lastReported = reportedBatches.lastKey();
            long lastStored = offsetsByBatch.lastKey();
            assertThat(lastStored).isBetween(lastReported, lastReported + 1);
            // Batches 0..lastStored, each once: none missing in between.
            assertThat(offsetsByBatch.firstKey()).isZero();
            assertThat((long) offsetsByBatch.size()).isEqualTo(lastStored + 1);

            // The file is healthy: appends go on above everything issued before the crash.
            long highest = source.highestIssuedOffset().orElseThrow();
            assertThat(highest).isEqualTo(after);
            assertThat(outbox.append("TICKET", "{\"after\":\"crash\"}")).isEqualTo(highest + 1);
        }
    }
}
