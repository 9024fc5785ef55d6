package io.snowpiperelay.internal;

import io.snowpiperelay.RelayHaltedException;
import java.time.Duration;
import java.time.Instant;

/**
 * CONFIRM and CLEANUP of the runner's cycle: reads committed tokens from channel statuses, releases the
 * {@link UncommittedWindow} up to them and deletes from the source up to them (invariant 2: only what a token read
 * from the channel confirms). A token going backwards while running stops the runner
 * ({@link RelayHaltedException}, {@code COMMITTED_TOKEN_REGRESSED}); row errors in the status go to the {@link RowErrorMonitor}.
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
    private final ListenerEvents events;
    private String lastStatusCode = "SUCCESS";
    private Instant openedAt = Instant.EPOCH;

    CommitTracker(String channel, ChannelProgress progress, UncommittedWindow window, RetryingSource source,
                  RowErrorMonitor rowErrors, ListenerEvents events) {
        this.channel = channel;
        this.progress = progress;
        this.window = window;
        this.source = source;
        this.rowErrors = rowErrors;
        this.events = events;
    }

    /** A channel instance was opened with {@code status}: the baseline for status codes and regressions. */
    void opened(ChannelStatusView status) {
        openedAt = Instant.now();
        lastStatusCode = status.statusCode() == null ? "SUCCESS" : status.statusCode();
    }

    @Override
    public void onStatus(ChannelStatusView status) {
        rowErrors.check(status);
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
        } else if (c < committed && (status.refreshedAt() == null
                || status.refreshedAt().isAfter(openedAt.plus(REGRESSION_GRACE)))) {
            // A status requested just before our open can arrive just after it and predate commits the open
            // already reported; only a lower value refreshed well after the open is a real regression.
            throw RelayHaltedException.committedTokenRegressed(channel, committed, c);
        }
    }

    @Override
    public void onCommittedToken(String token) {
        long c = OffsetTokens.parse(channel, token);
        // Batched reads carry no refresh time and may predate the open: a lower value is stale, not a regression.
        if (c > progress.committedOffset()) {
            confirm(c);
        }
    }

    /** A committed token was read from the channel: release the window and delete up to it (invariant 2). */
    void confirm(long committed) {
        progress.committedOffset(committed);
        window.release(committed);
        events.committed(committed);
        if (committed > progress.deletedOffset()) {
            source.deleteData(committed);
            progress.deletedOffset(committed);
            events.deleted(committed);
        }
    }
}
