package io.snowpiperelay.examples.cli;

import io.snowpiperelay.RunnerMetrics;
import io.snowpiperelay.examples.report.TextTable;
import java.util.Map;

/**
 * What one {@code relay} run did with the rows it read, for the line it prints at the end: rows sent, rows the
 * service rejected, and the dead letters that keep them (and the records that could not be sent at all).
 *
 * @param rowsSent     rows handed to the SDK (rows sent again after a reopen count again)
 * @param rowsRejected rows the service rejected, as the channel statuses counted them
 * @param deadLetters  records handed to the dead-letter table this run: rejected rows (and, without a quarantine
 *                     pipe, the rows sent with them, marked "may have landed") and records that could not be sent
 */
record RelaySummary(long rowsSent, long rowsRejected, long deadLetters) {

    /** Sums the runners' metrics. */
    static RelaySummary of(Map<String, RunnerMetrics> metrics) {
        long sent = 0;
        long rejected = 0;
        long letters = 0;
        for (RunnerMetrics m : metrics.values()) {
            sent += m.rowsAppended();
            rejected += m.rowErrorCount();
            letters += m.deadLetterCount();
        }
        return new RelaySummary(sent, rejected, letters);
    }

    /** Whether anything went to the dead letters or was rejected: then the summary line is printed. */
    boolean anythingSetAside() {
        return rowsRejected > 0 || deadLetters > 0;
    }

    /** Rejected rows that no dead letter keeps: lost, and the relay must say so with its exit code. */
    boolean rejectedNotKept() {
        return rowsRejected > deadLetters;
    }

    /** The one-line summary. */
    String line(String outbox) {
        String head = "Rows sent: " + TextTable.number(rowsSent) + ", rejected by the service: "
                + TextTable.number(rowsRejected) + ", dead letters: " + TextTable.number(deadLetters);
        if (rejectedNotKept()) {
            return head + ". " + TextTable.number(rowsRejected - deadLetters) + " rejected row(s) are NOT kept"
                    + " anywhere: fix the dead-letter handler and the rows at the source.";
        }
        return head + ", kept in the dead letters of " + outbox + " ('report --outbox " + outbox
                + "' lists them per table).";
    }
}
