package io.snowpiperelay.internal;

import io.snowpiperelay.RelayException;
import io.snowpiperelay.RelayHaltedException;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.types.RowChecker;
import io.snowpiperelay.types.RowRejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FILL of the runner's cycle: checks a batch read from the source (invariant 4: offsets &gt; 0 and strictly
 * ascending, across batches too, before anything of it is sent), converts each record to a row, routes the
 * records that cannot be sent to the dead letters (with a {@link RowChecker}, also the rows the target table would
 * reject, before they are appended), and cuts the rows into chunks of at most {@code maxAppendRows}
 * rows and {@code maxAppendBytes} bytes for the {@link ChunkAppender}.
 *
 * <p>The hot path: the chunk list and the conversion result are reused across batches, nothing is logged per row.
 * Runner thread only.
 */
public final class BatchFiller {
    private final String channelName;
    private final int maxAppendRows;
    private final long maxAppendBytes;
    private final RowConverter converter;
    /** The target table's row check, or null when no columns were configured (then only JSON is checked). */
    private final RowChecker rowChecker;
    /** Fields that match no column, reported once each; null without a row check. */
    private final UnknownFields unknownFields;
    private final DeadLetterRouter deadLetters;
    private final ChunkAppender appender;
    private final ChannelProgress progress;
    private final String sourceDescription;
    // Reused across batches: no allocation per row beyond the row itself.
    private final ArrayList<Map<String, Object>> chunkRows = new ArrayList<>();
    private final RowConverter.Result conversion = new RowConverter.Result();

    BatchFiller(String channelName, RunnerConfig config, DeadLetterRouter deadLetters, ChunkAppender appender,
                ChannelProgress progress, String sourceDescription, RowChecker rowChecker, ListenerEvents events) {
        this.channelName = channelName;
        this.rowChecker = rowChecker;
        this.unknownFields = rowChecker == null ? null : new UnknownFields(channelName, rowChecker, events);
        this.maxAppendRows = config.maxAppendRows();
        this.maxAppendBytes = config.maxAppendBytes();
        this.converter = new RowConverter(config.maxRowBytes());
        this.deadLetters = deadLetters;
        this.appender = appender;
        this.progress = progress;
        this.sourceDescription = sourceDescription;
    }

    /**
     * Checks that {@code batch} (asked for at most {@code asked} records after {@code after}) keeps invariant 4.
     *
     * @throws RelayHaltedException ({@code OFFSET_ORDER}) naming the offsets, when an offset is not above the previous one or not &gt; 0
     * @throws RelayException       when the source returned more records than asked for
     */
    void checkOrder(long after, List<SourceRecord> batch, int asked) {
        if (batch.size() > asked) {
            throw new RelayException("channel " + channelName + ": " + sourceDescription + " returned " + batch.size()
                    + " records when asked for at most " + asked + "; fix the source's getData");
        }
        long previous = after;
        for (int i = 0, n = batch.size(); i < n; i++) {
            long offset = batch.get(i).offset();
            if (offset <= 0 || offset <= previous) {
                throw RelayHaltedException.offsetOrder(channelName, previous, offset, sourceDescription);
            }
            previous = offset;
        }
    }

    /** Converts and appends a checked, non-empty {@code batch}; dead-letters what cannot be converted. */
    void send(List<SourceRecord> batch) {
        chunkRows.clear();
        long chunkBytes = 0;
        long chunkFirst = 0;
        long chunkLast = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            SourceRecord record = batch.get(i);
            if (!converter.convert(record, conversion)) {
                deadLetters.route(record, conversion.failure);
                continue;
            }
            if (rowChecker != null && conversion.utf8 != null) {
                Optional<RowRejection> rejected = rowChecker.check(conversion.utf8, conversion.utf8From,
                        conversion.utf8Length);
                if (rejected.isPresent()) {
                    deadLetters.route(record, rejected.get().reason());
                    continue;
                }
                unknownFields.check(conversion.utf8, conversion.utf8From, conversion.utf8Length, record.offset());
            }
            if (!chunkRows.isEmpty()
                    && (chunkRows.size() >= maxAppendRows || chunkBytes + conversion.bytes > maxAppendBytes)) {
                appendChunk(chunkFirst, chunkLast, chunkBytes);
                chunkBytes = 0;
            }
            if (chunkRows.isEmpty()) {
                chunkFirst = record.offset();
            }
            chunkRows.add(conversion.row);
            chunkBytes += conversion.bytes;
            chunkLast = record.offset();
        }
        if (!chunkRows.isEmpty()) {
            appendChunk(chunkFirst, chunkLast, chunkBytes);
        }
        conversion.row = null;
        conversion.utf8 = null;
        // Trailing dead letters move the cursor too; they are deleted once a later row commits.
        progress.appendedOffset(batch.get(batch.size() - 1).offset());
    }

    private void appendChunk(long first, long last, long bytes) {
        appender.append(chunkRows, first, last, bytes);
        chunkRows.clear();
    }
}
