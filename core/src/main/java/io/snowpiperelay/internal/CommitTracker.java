package io.snowpiperelay.internal;

import io.snowpiperelay.ChannelFencedException;
import io.snowpiperelay.RelayHaltedException;
import java.time.Instant;

/**
 * CONFIRM and CLEANUP of the runner's cycle: reads committed tokens from channel statuses, releases the
 * {@link UncommittedWindow} up to them and deletes from the source up to them (invariant 2: only what a token read
 * from the channel confirms). A token going backwards while running stops the runner
 * ({@link RelayHaltedException}, {@code COMMITTED_TOKEN_REGRESSED}); a token above anything this runner appended to the current channel
 * instance was written by someone else and fences it ({@link ChannelFencedException}), without a delete; row
 * errors in the status go to the {@link RowErrorMonitor}.
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
    private final String channel;
    private final ChannelProgress progress;
    private final UncommittedWindow window;
    private final RetryingSource source;
    private final RowErrorMonitor rowErrors;
    private final RejectedRowSettler settler;
    private final ListenerEvents events;
    private String lastStatusCode = "SUCCESS";
    private boolean everOpened;
    // The suspect range not settled yet (offsets suspectAfter+1 .. suspectUpTo), or suspectUpTo < 0 when none.
    private long suspectAfter;
    private long suspectUpTo = -1;
    private long suspectErrors;
    private String suspectMessage;
    // The highest token a status of the current instance showed, and the SDK's refresh time of that status: the
    // baseline a later status is compared with to judge a regression (the SDK's own ordering, never our clock).
    private long highestStatusToken = -1;
    private Instant highestStatusRefreshedAt;
    // The highest offset appended to any channel instance in this run.
    private long highestAppendedInRun;
    private boolean unvouchedRangeWarned;

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
        lastStatusCode = status.statusCode() == null ? "SUCCESS" : status.statusCode();
        highestStatusToken = -1;
        highestStatusRefreshedAt = null;
        long fresh = rowErrors.opened(status);
        if (fresh > 0) {
            suspect(upperBound(status, committed), fresh, status.lastErrorMessage());
        } else if (!everOpened && status.rowsErrorCount() > 0 && committed > progress.deletedOffset()) {
            suspect(committed, -1, status.lastErrorMessage());
        }
        everOpened = true;
    }

    /** Rows up to {@code lastOffset} were handed to the current channel instance. */
    void appended(long lastOffset) {
        highestAppendedInRun = Math.max(highestAppendedInRun, lastOffset);
    }

    /**
     * A reopen read {@code committed} from the channel. Above everything this runner appended in this run and
     * everything it saw committed, it can only come from another writer.
     *
     * @throws ChannelFencedException when it is above both
     */
    void checkReopenedToken(long committed) {
        long known = Math.max(progress.committedOffset(), highestAppendedInRun);
        if (committed > known) {
            throw new ChannelFencedException(channel, "the reopened channel's committed token " + committed
                    + " is above offset " + known + ", the highest this runner appended or saw committed", null);
        }
    }

    /**
     * The committed token read at a (re)open: deletes up to it only when the source vouches for its range (its
     * highest issued offset passed the regression check) or this runner appended those rows in this run. Otherwise
     * the rows at or below it stay in the source (they may be a recreated source's rows, never sent) and the
     * runner warns once.
     */
    void confirmOnOpen(long committed, boolean sourceVouches) {
        if (sourceVouches || committed <= highestAppendedInRun) {
            confirm(committed);
            return;
        }
        progress.committedOffset(committed);
        progress.retainedOffset(committed);
        window.release(committed);
        events.committed(committed);
        if (!unvouchedRangeWarned) {
            unvouchedRangeWarned = true;
            RunnerLog.LOG.warn("{} - {} cannot tell the highest offset it ever issued (highestIssuedOffset() is"
                    + " empty), so a recreated source cannot be told from rows committed before a restart: records"
                    + " at or below the committed offset {} are neither sent nor deleted on open; they are deleted"
                    + " once a later row commits. Implement OffsetSource.highestIssuedOffset() (see"
                    + " docs/using-the-library.md, 'Writing your own source').", channel, source.describe(), committed);
        }
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
        checkNotForeign(c, "the channel status");
        if (c < highestStatusToken && isLater(status.refreshedAt(), highestStatusRefreshedAt)) {
            // The SDK's cache showed a higher token in an earlier refresh of this instance: the channel went
            // backwards. A lower token without that (a status cached before our open) is stale, not a regression.
            throw RelayHaltedException.committedTokenRegressed(channel, Math.max(progress.committedOffset(),
                    highestStatusToken), c);
        }
        if (c >= highestStatusToken) {
            highestStatusToken = c;
            highestStatusRefreshedAt = status.refreshedAt();
        }
        if (c > progress.committedOffset()) {
            confirm(c);
        } else if (c > progress.deletedOffset() && c > progress.retainedOffset()) {
            // Confirmed by a group's token read (which deletes nothing), or held back by a suspect range: delete now.
            cleanUp(c);
        }
    }

    /**
     * Whether a status refreshed at {@code refreshedAt} is newer than one refreshed at {@code earlier}: both are
     * stamped by the SDK's clock; without a stamp, delivery order (one poller, one status at a time) decides.
     */
    private static boolean isLater(Instant refreshedAt, Instant earlier) {
        return refreshedAt == null || earlier == null || refreshedAt.isAfter(earlier);
    }

    /**
     * @throws ChannelFencedException when {@code committed} is above the last offset this runner appended to the
     *                                current channel instance (or its token at open): only another writer on the
     *                                channel can have committed it, and deleting up to it would drop unsent rows
     */
    private void checkNotForeign(long committed, String where) {
        long ours = progress.lastSentOffset();
        if (committed > ours) {
            throw new ChannelFencedException(channel, where + " shows committed token " + committed
                    + ", above offset " + ours + ", the last this runner appended to its channel instance;"
                    + " nothing was deleted for it", null);
        }
    }

    @Override
    public void onCommittedToken(String token) {
        long c = OffsetTokens.parse(channel, token);
        checkNotForeign(c, "the group's committed-token read");
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
