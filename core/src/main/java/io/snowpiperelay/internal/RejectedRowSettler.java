package io.snowpiperelay.internal;

import io.snowpiperelay.spi.DeadLetter;
import io.snowpiperelay.spi.SourceRecord;
import io.snowpiperelay.types.RowChecker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety net for rows the service rejected after they were sent: before a range whose rows the channel status
 * counted as rejected is deleted from the source, it reads the range back from the source, finds the rows the
 * service did not take and hands each to the dead-letter handler with the service's reason; only then may the
 * caller delete the range. Rows are found with the {@link QuarantineProbe} when a quarantine pipe is configured.
 * Without one, or for rows the probe could not judge, every row of the range is dead-lettered with the reason
 * prefixed {@link DeadLetter#MAY_HAVE_LANDED}: nothing is lost, and what may also be in the table says so.
 *
 * <p>Crash safety comes from the order: nothing of the range is deleted until every dead letter is stored (the
 * handler stores durably before it returns). A process killed in between leaves the range in the source below the
 * committed token; the next open sees it there and settles it again ({@link CommitTracker#opened}); storing a dead
 * letter twice replaces the first (the SQLite outbox keys them by stream and offset).
 *
 * <p>Runner thread only.
 */
final class RejectedRowSettler {
    private final String channel;
    private final RetryingSource source;
    private final RowConverter converter;
    private final DeadLetterRouter deadLetters;
    private final RowChecker rowChecker;
    private final QuarantineProbe probe;
    private final int readRows;

    /**
     * @param rowChecker the pre-send check FILL applied, or {@code null}: rows it refused were never sent
     * @param probe      the quarantine probe, or {@code null} when no quarantine pipe is configured
     */
    RejectedRowSettler(String channel, RetryingSource source, RowConverter converter, DeadLetterRouter deadLetters,
                       RowChecker rowChecker, QuarantineProbe probe, int readRows) {
        this.channel = channel;
        this.source = source;
        this.converter = converter;
        this.deadLetters = deadLetters;
        this.rowChecker = rowChecker;
        this.probe = probe;
        this.readRows = readRows;
    }

    /**
     * Dead-letters the rows of offsets {@code afterOffset+1 .. upToOffset} that the service rejected.
     *
     * @param expectedErrors rows of the range the channel status counted as rejected, or -1 when not known (after a
     *                       restart the count since the rows were sent is lost)
     * @param serviceMessage the status's last error message, or null; may quote row values
     * @return true when settled (the range may be deleted); false when close() interrupted it (delete nothing)
     */
    boolean settle(long afterOffset, long upToOffset, long expectedErrors, String serviceMessage) {
        List<SourceRecord> records = read(afterOffset, upToOffset);
        if (records.isEmpty()) {
            if (expectedErrors > 0) {
                // Only possible if the service raised the count after the commit that moved past the rows, and
                // they were deleted in between: say so rather than pretend.
                RunnerLog.LOG.warn("{} - the service counted {} rejected row(s) at or below offset {}, but offsets"
                        + " {}..{} are no longer in the source; they cannot be dead-lettered", channel,
                        expectedErrors, upToOffset, afterOffset + 1, upToOffset);
            }
            return true;
        }
        Map<Long, SourceRecord> byOffset = new HashMap<>();
        List<QuarantineProbe.Suspect> suspects = new ArrayList<>(records.size());
        RowConverter.Result conversion = new RowConverter.Result();
        for (SourceRecord r : records) {
            // A record that does not convert, or that the pre-send check refused, was dead-lettered before it could
            // be sent: the service never saw it.
            if (converter.convert(r, conversion) && !refusedBeforeSending(conversion)) {
                suspects.add(new QuarantineProbe.Suspect(r.offset(), conversion.row));
                byOffset.put(r.offset(), r);
            }
        }
        long first = records.get(0).offset();
        long last = records.get(records.size() - 1).offset();
        String range = "offsets " + first + ".." + last;
        if (probe == null) {
            RunnerLog.LOG.warn("{} - {} row(s) rejected among the {} sent rows of {}; no quarantine pipe is"
                    + " configured to tell which, so all of them go to the dead letters marked as possibly landed",
                    channel, expectedErrors < 0 ? "some" : Long.toString(expectedErrors), suspects.size(), range);
            flagAll(suspects, byOffset, Map.of(), expectedErrors, range, serviceMessage,
                    "no quarantine pipe is configured to tell which");
            return true;
        }
        QuarantineProbe.Verdicts verdicts;
        try {
            verdicts = probe.judge(suspects, expectedErrors);
        } catch (StopRequestedException stop) {
            RunnerLog.LOG.info("{} - close() while checking {} on the quarantine pipe; the range stays in the"
                    + " source and is checked again on the next start", channel, range);
            return false;
        }
        for (QuarantineProbe.Suspect s : suspects) {
            String reason = verdicts.rejected().get(s.offset());
            if (reason != null) {
                deadLetters.route(byOffset.get(s.offset()), "rejected by the service: " + reason
                        + " (found by sending the row alone to the quarantine pipe " + probe.pipe() + ")");
            }
        }
        int found = verdicts.rejected().size();
        if (verdicts.failure() != null) {
            RunnerLog.LOG.warn("{} - the quarantine pipe {} failed while checking {} ({}); its {} undecided row(s)"
                    + " go to the dead letters marked as possibly landed", channel, probe.pipe(), range,
                    verdicts.failure(), verdicts.undecided().size());
            Set<Long> undecidedOffsets = new HashSet<>(verdicts.undecided());
            List<QuarantineProbe.Suspect> undecided = new ArrayList<>();
            for (QuarantineProbe.Suspect s : suspects) {
                if (undecidedOffsets.contains(s.offset())) {
                    undecided.add(s);
                }
            }
            flagAll(undecided, byOffset, verdicts.rejected(), expectedErrors, range, serviceMessage,
                    "the quarantine pipe failed before it could tell which");
        } else if (expectedErrors > found) {
            // The probe and the service disagree (a scratch table whose columns differ from the real one?): keep
            // every other row of the range rather than risk deleting a rejected one.
            RunnerLog.LOG.warn("{} - the service counted {} rejected row(s) in {} but the quarantine pipe {} rejected"
                    + " only {}; the other rows of the range go to the dead letters marked as possibly landed. Check"
                    + " that the quarantine table has the same columns as the target.", channel, expectedErrors,
                    range, probe.pipe(), found);
            flagAll(suspects, byOffset, verdicts.rejected(), expectedErrors, range, serviceMessage,
                    "the quarantine pipe found only " + found + " of them");
        } else {
            RunnerLog.LOG.info("{} - {} rejected row(s) in {} found on the quarantine pipe and dead-lettered",
                    channel, found, range);
        }
        return true;
    }

    private boolean refusedBeforeSending(RowConverter.Result conversion) {
        return rowChecker != null && conversion.utf8 != null
                && rowChecker.check(conversion.utf8, conversion.utf8From, conversion.utf8Length).isPresent();
    }

    private void flagAll(List<QuarantineProbe.Suspect> rows, Map<Long, SourceRecord> byOffset,
                         Map<Long, String> alreadyRejected, long expectedErrors, String range, String serviceMessage,
                         String why) {
        String reason = DeadLetter.MAY_HAVE_LANDED + "the service rejected "
                + (expectedErrors < 0 ? "some" : Long.toString(expectedErrors)) + " row(s) of " + range + " and "
                + why + "; this row is kept so none is lost. Check the table before replaying it."
                + (serviceMessage == null ? "" : " The service's last message (about one of them): " + serviceMessage);
        for (QuarantineProbe.Suspect s : rows) {
            if (!alreadyRejected.containsKey(s.offset())) {
                deadLetters.route(byOffset.get(s.offset()), reason);
            }
        }
    }

    private List<SourceRecord> read(long afterOffset, long upToOffset) {
        List<SourceRecord> out = new ArrayList<>();
        long cursor = afterOffset;
        while (cursor < upToOffset) {
            List<SourceRecord> batch = source.getData(cursor, readRows);
            if (batch == null || batch.isEmpty()) {
                break;
            }
            for (SourceRecord r : batch) {
                if (r.offset() > upToOffset) {
                    return out;
                }
                out.add(r);
            }
            cursor = batch.get(batch.size() - 1).offset();
        }
        return out;
    }
}
