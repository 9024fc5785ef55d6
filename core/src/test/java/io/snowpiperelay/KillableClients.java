package io.snowpiperelay;

import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.testing.FakeSnowpipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Clients whose process can be "killed": after {@link #kill()} every call freezes (the process is gone and
 * does nothing more: no delete, no close, no flush) until {@link #bury()} ends the frozen threads.
 */
final class KillableClients {
    /** Thrown into frozen threads when the test ends; an Error, like the process vanishing. */
    static final class Dead extends Error {
        private static final long serialVersionUID = 1L;

        Dead() {
            super("killed", null, false, false);
        }
    }

    private final FakeSnowpipe service;
    private final CountDownLatch buried = new CountDownLatch(1);
    private volatile boolean killed;

    KillableClients(FakeSnowpipe service) {
        this.service = service;
    }

    void kill() {
        killed = true;
    }

    void bury() {
        buried.countDown();
    }

    private void freezeIfKilled() {
        if (killed) {
            try {
                buried.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new Dead();
        }
    }

    ClientPort newClient() {
        ClientPort inner = service.newClient();
        return new ClientPort() {
            @Override
            public OpenedChannel open(String name) {
                freezeIfKilled();
                OpenedChannel o = inner.open(name);
                ChannelPort c = o.channel();
                return new OpenedChannel(new ChannelPort() {
                    @Override
                    public String name() {
                        return c.name();
                    }

                    @Override
                    public void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken) {
                        freezeIfKilled();
                        c.appendRows(rows, firstToken, lastToken);
                    }

                    @Override
                    public ChannelStatusView status() {
                        freezeIfKilled();
                        return c.status();
                    }

                    @Override
                    public void close(Duration flushTimeout) {
                        freezeIfKilled();
                        c.close(flushTimeout);
                    }
                }, o.status());
            }

            @Override
            public Map<String, String> latestCommittedTokens(List<String> names) {
                freezeIfKilled();
                return inner.latestCommittedTokens(names);
            }

            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
