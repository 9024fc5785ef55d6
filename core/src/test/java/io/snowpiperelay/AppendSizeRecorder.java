package io.snowpiperelay;

import io.snowpiperelay.internal.ChannelPort;
import io.snowpiperelay.internal.ChannelStatusView;
import io.snowpiperelay.internal.ClientPort;
import io.snowpiperelay.internal.OpenedChannel;
import io.snowpiperelay.internal.RowConverter;
import io.snowpiperelay.testing.FakeSnowpipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps the fake's clients to record the largest appendRows call, in rows and in JSON bytes. */
final class AppendSizeRecorder {
    private final FakeSnowpipe service;
    private final AtomicInteger maxRows = new AtomicInteger();
    private final AtomicInteger maxBytes = new AtomicInteger();

    AppendSizeRecorder(FakeSnowpipe service) {
        this.service = service;
    }

    int maxRows() {
        return maxRows.get();
    }

    int maxBytes() {
        return maxBytes.get();
    }

    ClientPort newClient() {
        ClientPort inner = service.newClient();
        return new ClientPort() {
            @Override
            public OpenedChannel open(String name) {
                OpenedChannel o = inner.open(name);
                ChannelPort c = o.channel();
                return new OpenedChannel(new ChannelPort() {
                    @Override
                    public String name() {
                        return c.name();
                    }

                    @Override
                    public void appendRows(List<Map<String, Object>> rows, String firstToken, String lastToken) {
                        maxRows.accumulateAndGet(rows.size(), Math::max);
                        int bytes = 0;
                        for (Map<String, Object> r : rows) {
                            // the source's rows are {"id":N,"v":"row N"}: re-measure as JSON text
                            bytes += RowConverter.utf8Length("{\"id\":" + r.get("id") + ",\"v\":\"" + r.get("v") + "\"}");
                        }
                        maxBytes.accumulateAndGet(bytes, Math::max);
                        c.appendRows(rows, firstToken, lastToken);
                    }

                    @Override
                    public ChannelStatusView status() {
                        return c.status();
                    }

                    @Override
                    public void close(Duration flushTimeout) {
                        c.close(flushTimeout);
                    }
                }, o.status());
            }

            @Override
            public Map<String, String> latestCommittedTokens(List<String> names) {
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
