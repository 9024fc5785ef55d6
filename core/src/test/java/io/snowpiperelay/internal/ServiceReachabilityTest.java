package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What the relay says when the service cannot be reached, checked against real sockets on 127.0.0.1, and that a
 * client build stuck in the SDK neither hides it nor holds up a stop or {@code close()}.
 */
class ServiceReachabilityTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ServiceReachability reachability(String url) {
        return new ServiceReachability(url, Duration.ofMinutes(1), Duration.ofMillis(500), Clock.systemUTC());
    }

    @Test
    void aClosedPortIsConnectionRefusedAndNamesTheUrl() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        ServiceReachability r = reachability(url);
        assertThat(r.unreachable()).isNull();

        r.probeIfDue();

        ServiceReachability.Unreachable u = r.unreachable();
        assertThat(u).isNotNull();
        assertThat(u.cause()).startsWith("connection refused");
        assertThat(u.describe()).startsWith("cannot reach the service at " + url + " since ")
                .endsWith("connection refused by " + url.substring("http://".length()));
        assertThat(u.report()).isEqualTo(1);
    }

    @Test
    void anUnknownHostIsADnsFailure() {
        ServiceReachability r = reachability("https://no-such-host.invalid");
        assertThat(r.probe()).isEqualTo("DNS lookup of no-such-host.invalid failed (unknown host)");
    }

    @Test
    void httpsToAServerThatDoesNotSpeakTlsIsATlsFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException ignored) {
                    // the probe closed first
                }
            });
            t.start();
            String cause = reachability("https://127.0.0.1:" + server.getLocalPort()).probe();
            t.join(5000);
            assertThat(cause).startsWith("TLS handshake with 127.0.0.1:" + server.getLocalPort() + " failed");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeIsATimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The kernel accepts the connection into the backlog; nobody ever answers.
            String cause = reachability("https://127.0.0.1:" + server.getLocalPort()).probe();
            assertThat(cause).isEqualTo("connect or TLS handshake to 127.0.0.1:" + server.getLocalPort()
                    + " timed out after 500 ms");
        }
    }

    @Test
    void aReachableServiceIsNoProblem() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServiceReachability r = reachability("http://127.0.0.1:" + server.getLocalPort());
            r.probeIfDue();
            assertThat(r.unreachable()).isNull();
        }
    }

    @Test
    void aStuckBuildReportsTheCauseAndAStopEndsTheWaitWhileTheBuildGoesOn() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean builtClientClosed = new AtomicBoolean();
        ClientHandle handle = new ClientHandle(() -> {
            try {
                release.await(); // like the SDK retrying in native code
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ClientPort() {
                @Override
                public OpenedChannel open(String name) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Map<String, String> latestCommittedTokens(List<String> names) {
                    return Map.of();
                }

                @Override
                public String describe() {
                    return "stuck";
                }

                @Override
                public void close() {
                    builtClientClosed.set(true);
                }
            };
        }, "DB.S.P", reachability(url), Duration.ZERO);
        RunnerSignal signal = new RunnerSignal();
        List<ServiceReachability.Unreachable> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        CountDownLatch waiterDone = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                handle.current(signal, u -> {
                    reports.add(u);
                    reported.countDown();
                });
            } catch (StopRequestedException e) {
                stopped.set(true);
            } finally {
                waiterDone.countDown();
            }
        });
        waiter.start();

        assertThat(reported.await(10, TimeUnit.SECONDS)).as("reported while the build hangs").isTrue();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).cause()).startsWith("connection refused");
        assertThat(handle.unreachable()).isEqualTo(reports.get(0));

        signal.requestStop();
        assertThat(waiterDone.await(2, TimeUnit.SECONDS)).as("the stop ends the wait").isTrue();
        assertThat(stopped).isTrue();
        handle.close(); // does not wait for the build
        assertThatThrownBy(() -> handle.current()).isInstanceOf(PortException.class).hasMessageContaining("closed");

        release.countDown();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(builtClientClosed);
    }
}
