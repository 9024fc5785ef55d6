package io.snowpiperelay.internal;

import io.snowpiperelay.CommittedTokenRegressedException;
import java.time.Duration;
import java.time.Instant;

/**
 * CONFIRM and CLEANUP of the runner's cycle: reads committed tokens from channel statuses, releases the
 * {@link UncommittedWindow} up to them and deletes from the source up to them (invariant 2: only what a token read
 * from the channel confirms). A token going backwards while running stops the runner
 * ({@link CommittedTokenRegressedException}); row errors in the status go to the {@link RowErrorMonitor}.
 *
 * <p>Invariant 10 (every row accounted for): only a status, which carries the row-error count with the committed
 * token, deletes; a token read alone (a group's batched read) releases the window but deletes nothing. When the
 * count grew, the range from the last deleted offset up to the last error's offset bound is a <em>suspect range</em>:
 * nothing of it is deleted until the {@link RejectedRowSettler} has dead-lettered the rows the service rejected. A
 * range it could not settle (close() came first) stays suspect and in the source.
 *
 * <p>Runner thread only.
 */
public final class CommitTracker implements CommitPoller.Observer {
    /** A lower committed token counts as a regression only in a status refreshed this long after the open. */
    private static final Duration REGRESSION_GRACE = Duration.ofSeconds(2);

    private final String channel;
    private final ChannelProgress progress;
    private final UncommittedWindow window;
    private final RetryingSource source;
    private final RowErrorMonitor rowErrors;
    private final RejectedRowSettler settler;
    private final ListenerEvents events;
    private String lastStatusCode = "SUCCESS";
    private Instant openedAt = Instant.EPOCH;
    private boolean everOpened;
    // The suspect range not settled yet (offsets suspectAfter+1 .. suspectUpTo), or suspectUpTo < 0 when none.
    private long suspectAfter;
    private long suspectUpTo = -1;
    private long suspectErrors;
    private String suspectMessage;

    CommitTracker(String channel, ChannelProgress progress, UncommittedWindow window, RetryingSource source,
                  RowErrorMonitor rowErrors, RejectedRowSettler settler, ListenerEvents events) {
        this.channel = channel;
        this.progress = progress;
        this.window = window;
        this.source = source;
        this.rowErrors = rowErrors;
        this.settler = settler;
        this.events = events;
    }

    /**
     * A channel instance was opened with {@code status} (committed offset {@code committed}): the baseline for status
     * codes, regressions and row errors. Errors counted since the last status of the previous instance make a
     * suspect range. On the first open of this runner, rows still in the source at or below the committed token
     * were sent by an earlier process that died before deleting them; if the channel ever rejected a row they are
     * suspect too (how many of them were rejected is unknown).
     */
    void opened(ChannelStatusView status, long committed) {
        openedAt = Instant.now();
        lastStatusCode = status.statusCode() == null ? "SUCCESS" : status.statusCode();
        long fresh = rowErrors.opened(status);
        if (fresh > 0) {
            suspect(upperBound(status, committed), fresh, status.lastErrorMessage());
        } else if (!everOpened && status.rowsErrorCount() > 0 && committed > progress.deletedOffset()) {
            suspect(committed, -1, status.lastErrorMessage());
        }
        everOpened = true;
    }

    @Override
    public void onStatus(ChannelStatusView status) {
        long fresh = rowErrors.check(status);
        if (fresh > 0) {
            String committedToken = status.committedToken();
            long c = committedToken == null ? progress.committedOffset() : OffsetTokens.parse(channel, committedToken);
            suspect(upperBound(status, c), fresh, status.lastErrorMessage());
        }
        String code = status.statusCode();
        if (code != null && !code.equals(lastStatusCode)) {
            lastStatusCode = code;
            if (!"SUCCESS".equals(code)) {
                RunnerLog.LOG.warn("{} - channel status code is {}", channel, code);
            }
        }
        if (status.committedToken() == null) {
            return; // no information: never a reason to delete, nor to stop
        }
        long c = OffsetTokens.parse(channel, status.committedToken());
        long committed = progress.committedOffset();
        if (c > committed) {
            confirm(c);
        } else if (c > progress.deletedOffset()) {
            cleanUp(c); // a suspect range held the delete back; try again
        } else if (c < committed && (status.refreshedAt() == null
                || status.refreshedAt().isAfter(openedAt.plus(REGRESSION_GRACE)))) {
            // A status requested just before our open can arrive just after it and predate commits the open
            // already reported; only a lower value refreshed well after the open is a real regression.
            throw new CommittedTokenRegressedException(channel, committed, c);
        }
    }

    @Override
    public void onCommittedToken(String token) {
        long c = OffsetTokens.parse(channel, token);
        // Batched reads carry no refresh time and may predate the open: a lower value is stale, not a regression.
        // They carry no row-error count either, so they release the window but delete nothing (invariant 10).
        if (c > progress.committedOffset()) {
            committed(c);
        }
    }

    /** A committed token was read with its status: release the window and delete up to it (invariants 2, 10). */
    void confirm(long committed) {
        committed(committed);
        cleanUp(committed);
    }

    private void committed(long committed) {
        progress.committedOffset(committed);
        window.release(committed);
        events.committed(committed);
    }

    /** Deletes up to {@code committed}, once a suspect range below it is settled. */
    private void cleanUp(long committed) {
        if (committed <= progress.deletedOffset()) {
            return;
        }
        if (suspectUpTo >= 0) {
            if (!settler.settle(suspectAfter, suspectUpTo, suspectErrors, suspectMessage)) {
                return; // close() came first: the range stays in the source, suspect
            }
            suspectUpTo = -1;
        }
        source.deleteData(committed);
        progress.deletedOffset(committed);
        events.deleted(committed);
    }

    private void suspect(long upTo, long errors, String message) {
        if (suspectUpTo < 0) {
            suspectAfter = progress.deletedOffset();
            suspectUpTo = upTo;
            suspectErrors = errors;
        } else {
            suspectUpTo = Math.max(suspectUpTo, upTo);
            suspectErrors = suspectErrors < 0 || errors < 0 ? -1 : suspectErrors + errors;
        }
        suspectMessage = message;
    }

    /** The last error's offset bound when it is a token, else {@code committed}. */
    private long upperBound(ChannelStatusView status, long committed) {
        String bound = status.lastErrorOffsetUpperBound();
        if (bound != null) {
            try {
                long b = OffsetTokens.parse(channel, bound);
                return Math.max(b, committed);
            } catch (RuntimeException notAToken) {
                // fall through: the committed token bounds what was processed
            }
        }
        return committed;
    }
}
