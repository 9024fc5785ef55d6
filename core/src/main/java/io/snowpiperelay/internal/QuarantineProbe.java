package io.snowpiperelay.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which rows of a suspect range the service rejects, by re-sending them to the <em>quarantine pipe</em>: a pipe
 * whose target is a scratch table with the same columns as the real one, so a re-sent row that is fine lands there
 * and never twice in the real table. The service only reports a channel's cumulative error count and the message of
 * its last error, so the probe uses group testing over a few channels of that pipe: in each round every channel gets
 * one group of rows, the round waits until each channel's committed token is the group's token, and the growth of
 * each channel's error count says how many rows of its group were rejected. A group without errors is cleared; a
 * group with errors is split (into single rows when they are all bad); a single row with one error is rejected, and
 * its channel's last error message is the service's reason for that row. Idle channels are used by splitting the
 * largest suspicious groups further, so a round carries as many groups as there are channels.
 *
 * <p>The channels ({@code <channel>-QUARANTINE-<i>}) are opened on first use and kept; a reopen after a crash takes
 * the error count the open reports as the new baseline, and rows an earlier process appended there but did not
 * commit are dropped by that open, so a half-done round of a killed process changes nothing.
 *
 * <p>Runner thread only.
 */
final class QuarantineProbe implements AutoCloseable {
    /** How often the committed tokens of a round's channels are read while waiting. */
    private static final Duration POLL = Duration.ofMillis(100);

    /** Rows known to be rejected, with the service's reason, and rows the probe could not judge. */
    record Verdicts(Map<Long, String> rejected, List<Long> undecided, String failure) { }

    /** One row under test: its offset and the row as it was sent. */
    record Suspect(long offset, Map<String, Object> row) { }

    /** Rows probed together; {@code knownErrors} is how many of them are rejected, or -1 when not known yet. */
    private record Group(List<Suspect> rows, long knownErrors) { }

    private static final class Lane {
        final ChannelPort channel;
        long errorCount;
        String lastMessage;

        Lane(ChannelPort channel, long errorCount) {
            this.channel = channel;
            this.errorCount = errorCount;
        }
    }

    private final String channelName;
    private final ClientHandle clients;
    private final int width;
    private final Duration roundTimeout;
    private final RunnerSignal signal;
    // Tokens are decimal numbers (as the relay's own) that no earlier process used on these channels: a token an
    // earlier process committed must never be mistaken for this round's.
    private final long tokenBase = System.currentTimeMillis() * 1_000_000L;
    private long tokensUsed;
    private final List<Lane> lanes = new ArrayList<>();
    // Offsets of the round being probed: undecided if it fails.
    private final List<Long> inFlight = new ArrayList<>();
    private long generation = -1;
    private ClientPort client;

    /**
     * @param clients      the quarantine pipe's client
     * @param width        channels used side by side
     * @param roundTimeout how long one round may take to commit before the probe gives up
     */
    QuarantineProbe(String channelName, ClientHandle clients, int width, Duration roundTimeout, RunnerSignal signal) {
        this.channelName = channelName;
        this.clients = clients;
        this.width = width;
        this.roundTimeout = roundTimeout;
        this.signal = signal;
    }

    /** The quarantine pipe, for messages. */
    String pipe() {
        return clients.description();
    }

    /**
     * Judges {@code suspects}. Never throws for a quarantine failure: what it could not judge is in
     * {@link Verdicts#undecided()} with the failure.
     *
     * @param expectedErrors how many of them the service said it rejected, or -1 when unknown
     * @throws StopRequestedException when close() was called meanwhile (nothing was decided for good)
     */
    Verdicts judge(List<Suspect> suspects, long expectedErrors) {
        Map<Long, String> rejected = new HashMap<>();
        Deque<Group> pending = new ArrayDeque<>();
        if (!suspects.isEmpty()) {
            pending.add(new Group(suspects, expectedErrors < 0 ? -1 : expectedErrors));
        }
        try {
            ensureLanes();
            while (!pending.isEmpty()) {
                signal.throwIfStopRequested();
                List<Group> batch = plan(pending);
                long[] errors = probe(batch);
                for (int i = 0; i < batch.size(); i++) {
                    Group g = batch.get(i);
                    long d = errors[i];
                    if (d == 0) {
                        continue; // every row of the group is fine
                    }
                    if (g.rows.size() == 1) {
                        rejected.put(g.rows.get(0).offset(), reasonOf(lanes.get(i)));
                    } else if (d >= g.rows.size()) {
                        for (Suspect s : g.rows) {
                            pending.add(new Group(List.of(s), 1));
                        }
                    } else {
                        pending.add(new Group(g.rows, d));
                    }
                }
            }
            return new Verdicts(rejected, List.of(), null);
        } catch (PortException e) {
            closeLanes();
            if (e.kind() == PortException.Kind.CLIENT_INVALID && generation >= 0) {
                clients.invalidate(generation);
            }
            List<Long> undecided = new ArrayList<>();
            for (Group g : pending) {
                for (Suspect s : g.rows) {
                    undecided.add(s.offset());
                }
            }
            // Groups of the failed round were taken off the queue: they are undecided too.
            undecided.addAll(inFlight);
            inFlight.clear();
            return new Verdicts(rejected, undecided, e.getMessage());
        }
    }

    /** Takes up to {@code width} groups, splitting the largest suspicious ones to fill idle channels. */
    private List<Group> plan(Deque<Group> pending) {
        List<Group> batch = new ArrayList<>(width);
        // A suspicious group is probed again only once split: probing it whole would tell nothing new.
        List<Group> work = new ArrayList<>(pending);
        pending.clear();
        List<Group> ready = new ArrayList<>();
        for (Group g : work) {
            if (g.knownErrors > 0 && g.rows.size() > 1 && g.knownErrors < g.rows.size()) {
                int parts = (int) Math.min(g.rows.size(), Math.max(2, 2 * g.knownErrors));
                ready.addAll(split(g, parts));
            } else {
                ready.add(g);
            }
        }
        ready.sort(Comparator.comparingInt((Group g) -> g.rows.size()).reversed());
        Deque<Group> queue = new ArrayDeque<>(ready);
        // Fill idle channels by halving the largest groups whose outcome is not known yet.
        while (queue.size() < width) {
            Group largest = queue.peekFirst();
            if (largest == null || largest.rows.size() < 2) {
                break;
            }
            queue.pollFirst();
            List<Group> halves = split(largest, 2);
            List<Group> again = new ArrayList<>(queue);
            again.addAll(halves);
            again.sort(Comparator.comparingInt((Group g) -> g.rows.size()).reversed());
            queue = new ArrayDeque<>(again);
        }
        while (!queue.isEmpty() && batch.size() < width) {
            batch.add(queue.pollFirst());
        }
        pending.addAll(queue);
        inFlight.clear();
        for (Group g : batch) {
            for (Suspect s : g.rows) {
                inFlight.add(s.offset());
            }
        }
        return batch;
    }

    private static List<Group> split(Group g, int parts) {
        List<Group> out = new ArrayList<>(parts);
        int n = g.rows.size();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            if (to > from) {
                out.add(new Group(g.rows.subList(from, to), -1));
            }
        }
        return out;
    }

    /** Sends group i on lane i and returns, per group, how many of its rows the service rejected. */
    private long[] probe(List<Group> batch) {
        String[] tokens = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Group g = batch.get(i);
            List<Map<String, Object>> rows = new ArrayList<>(g.rows.size());
            for (Suspect s : g.rows) {
                rows.add(s.row());
            }
            tokens[i] = Long.toString(tokenBase + tokensUsed++);
            lanes.get(i).channel.appendRows(rows, tokens[i], tokens[i]);
        }
        for (int i = 0; i < batch.size(); i++) {
            lanes.get(i).channel.initiateFlush();
        }
        long[] errors = new long[batch.size()];
        boolean[] done = new boolean[batch.size()];
        int left = batch.size();
        long deadline = System.nanoTime() + roundTimeout.toNanos();
        while (left > 0) {
            Map<String, ChannelStatusView> batched = client.statuses(laneNames(batch.size()));
            for (int i = 0; i < batch.size(); i++) {
                if (done[i]) {
                    continue;
                }
                Lane lane = lanes.get(i);
                ChannelStatusView status = batched != null ? batched.get(lane.channel.name()) : lane.channel.status();
                if (status != null && tokens[i].equals(status.committedToken())) {
                    errors[i] = Math.max(0, status.rowsErrorCount() - lane.errorCount);
                    lane.errorCount = status.rowsErrorCount();
                    lane.lastMessage = status.lastErrorMessage();
                    done[i] = true;
                    left--;
                }
            }
            if (left == 0) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new PortException(PortException.Kind.TRANSIENT, "",
                        "quarantine round did not commit within " + roundTimeout);
            }
            signal.throwIfStopRequested();
            signal.await(POLL, true);
        }
        return errors;
    }

    private static String reasonOf(Lane lane) {
        return lane.lastMessage == null || lane.lastMessage.isBlank() ? "(the service gave no message)"
                : lane.lastMessage;
    }

    private List<String> laneNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(lanes.get(i).channel.name());
        }
        return names;
    }

    private void ensureLanes() {
        if (lanes.size() >= width) {
            return;
        }
        ClientHandle.Current current = clients.current();
        generation = current.generation();
        client = current.client();
        for (int i = lanes.size(); i < width; i++) {
            OpenedChannel opened = client.open(channelName + "-QUARANTINE-" + i);
            lanes.add(new Lane(opened.channel(), opened.status().rowsErrorCount()));
        }
        RunnerLog.LOG.info("{} - opened {} quarantine channel(s) on {}", channelName, width, clients.description());
    }

    private void closeLanes() {
        for (Lane lane : lanes) {
            lane.channel.close(Duration.ZERO);
        }
        lanes.clear();
    }

    /** Closes the quarantine channels (not the client: its owner closes it). Never throws. */
    @Override
    public void close() {
        try {
            closeLanes();
        } catch (RuntimeException e) {
            RunnerLog.LOG.debug("{} - closing quarantine channels: {}", channelName, e.toString());
        }
    }
}
