package io.snowpiperelay.benchmarks;

import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.sqlite.SqliteOutbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A filled SQLite outbox kept as a template file: {@code streamCount} streams sharing the workload's rows
 * 0..rows-1 (stream {@code i} holds a contiguous slice), filled once and copied before every mode that drains
 * it, so that every repeat of {@code relay} and {@code naive} reads exactly the same bytes. Not thread-safe.
 */
final class OutboxTemplate {

    private static final int FILL_CHUNK_ROWS = 10_000;

    private final Path templateFile;
    private final List<String> streams = new ArrayList<>();
    private final long[] lastOffsets;
    private final long payloadBytes;

    private OutboxTemplate(Path templateFile, long[] lastOffsets, long payloadBytes) {
        this.templateFile = templateFile;
        this.lastOffsets = lastOffsets;
        this.payloadBytes = payloadBytes;
        for (int i = 0; i < lastOffsets.length; i++) {
            streams.add(streamName(i));
        }
    }

    static String streamName(int index) {
        return "bench_" + index;
    }

    /** Fills a template of {@code rows} rows over {@code streamCount} streams in {@code dir}. */
    static OutboxTemplate fill(Path dir, Workload workload, long rows, int streamCount) throws IOException {
        Path file = dir.resolve("template-" + workload.name().toLowerCase(java.util.Locale.ROOT) + "-" + rows + "-"
                + streamCount + ".db");
        deleteWithSidecars(file);
        long[] lastOffsets = new long[streamCount];
        long payloadBytes = 0;
        long index = 0;
        try (SqliteOutbox outbox = SqliteOutbox.open(file)) {
            for (int s = 0; s < streamCount; s++) {
                long streamRows = rows / streamCount + (s < rows % streamCount ? 1 : 0);
                long end = index + streamRows;
                while (index < end) {
                    long chunkEnd = Math.min(end, index + FILL_CHUNK_ROWS);
                    List<String> payloads = workload.payloads(index, chunkEnd);
                    for (String payload : payloads) {
                        payloadBytes += RowConverter.utf8Length(payload);
                    }
                    long[] offsets = outbox.appendAll(streamName(s), payloads);
                    lastOffsets[s] = offsets[offsets.length - 1];
                    index = chunkEnd;
                }
            }
        }
        return new OutboxTemplate(file, lastOffsets, payloadBytes);
    }

    /** Copies the template to {@code target} (replacing it and its sidecar files) and returns {@code target}. */
    Path copyTo(Path target) throws IOException {
        deleteWithSidecars(target);
        Files.copy(templateFile, target, StandardCopyOption.REPLACE_EXISTING);
        Path wal = Path.of(templateFile + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, Path.of(target + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    List<String> streams() {
        return streams;
    }

    /** The last offset of stream {@code index}: when it is deleted, the stream is drained. */
    long lastOffset(int index) {
        return lastOffsets[index];
    }

    long payloadBytes() {
        return payloadBytes;
    }

    void delete() throws IOException {
        deleteWithSidecars(templateFile);
    }

    /** Deletes {@code file} and every {@code file*} sidecar (WAL, shared memory, relay locks). */
    static void deleteWithSidecars(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = file.getFileName().toString();
        try (Stream<Path> siblings = Files.list(dir)) {
            for (Path sibling : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(sibling);
            }
        }
    }
}
