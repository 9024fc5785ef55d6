package io.snowpiperelay.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Says whether the Snowpipe Streaming service at a URL can be reached, and why not.
 *
 * <p>Why it exists: the SDK retries a request it cannot send (connection refused, DNS, TLS, timeout) inside its
 * native core, with a doubling backoff, for minutes, and says so only in its native INFO log; its Java call just
 * blocks. So while a client build takes longer than {@link #DEFAULT_FIRST_PROBE_AFTER}, the relay opens a TCP
 * connection (and a TLS handshake for {@code https}) to the URL itself and names the cause. The result is logged
 * at WARN once when found and again every {@link #DEFAULT_REPEAT_EVERY} while it lasts, and shown in
 * {@code RunnerMetrics.serviceUnreachable()} and the listener's {@code serviceUnreachable}.
 *
 * <p>Thread-safe: one caller probes at a time ({@code probing}); the others skip. The result is volatile.
 */
public final class ServiceReachability {
    /** How long a client build may take before the relay checks the connection itself. */
    public static final Duration DEFAULT_FIRST_PROBE_AFTER = Duration.ofSeconds(2);
    /** How often the check (and its WARN line) is repeated while the service cannot be reached. */
    public static final Duration DEFAULT_REPEAT_EVERY = Duration.ofSeconds(30);
    /**
     * The SLF4J marker of the WARN line, so an application that shows {@code RunnerMetrics.serviceUnreachable()}
     * itself can drop the log line.
     */
    public static final String MARKER = "RELAY_UNREACHABLE";
    private static final Marker UNREACHABLE = MarkerFactory.getMarker(MARKER);
    /** Bound of one TCP connect and of one TLS handshake. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * The service cannot be reached: {@code report} counts the checks that found so (1 for the first).
     *
     * @param url    the URL tried
     * @param cause  e.g. {@code connection refused}, {@code DNS lookup of host x failed}
     * @param since  when it was first found
     * @param report 1, 2, ...: one per failed check while it lasts
     */
    public record Unreachable(String url, String cause, Instant since, long report) {
        /** E.g. {@code cannot reach the service at http://127.0.0.1:1 since 2026-12-06T05:44:54Z: connection refused}. */
        public String describe() {
            return "cannot reach the service at " + url + " since " + since + ": " + cause;
        }
    }

    private final String url;
    private final Duration repeatEvery;
    private final Duration connectTimeout;
    private final Clock clock;
    private final ReentrantLock probing = new ReentrantLock();
    // written under probing, read anywhere
    private volatile Unreachable unreachable;
    // guarded by probing
    private long lastProbeNanos;
    // guarded by probing
    private boolean probedOnce;

    /** Checks {@code url} with the default intervals. */
    public ServiceReachability(String url) {
        this(url, DEFAULT_REPEAT_EVERY, DEFAULT_CONNECT_TIMEOUT, Clock.systemUTC());
    }

    ServiceReachability(String url, Duration repeatEvery, Duration connectTimeout, Clock clock) {
        this.url = Objects.requireNonNull(url, "url");
        this.repeatEvery = repeatEvery;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /** The URL checked. */
    public String url() {
        return url;
    }

    /** The current problem, or {@code null} while nothing says the service cannot be reached. */
    public Unreachable unreachable() {
        return unreachable;
    }

    /**
     * Checks the connection unless another thread is checking or the last check is less than the repeat interval
     * old; logs a WARN line when it fails. Blocks at most about twice the connect timeout.
     */
    public void probeIfDue() {
        if (!probing.tryLock()) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (probedOnce && now - lastProbeNanos < repeatEvery.toNanos()) {
                return;
            }
            probedOnce = true;
            lastProbeNanos = now;
            String cause = probe();
            if (cause == null) {
                return;
            }
            Unreachable before = unreachable;
            Unreachable after = before == null ? new Unreachable(url, cause, clock.instant(), 1)
                    : new Unreachable(url, cause, before.since(), before.report() + 1);
            unreachable = after;
            RunnerLog.LOG.warn(UNREACHABLE, "{}; the SDK keeps retrying. Check the profile's url, the network and the"
                    + " firewall/proxy between this host and Snowflake.", after.describe());
        } finally {
            probing.unlock();
        }
    }

    /** The service answered (a client was built): clears the problem. */
    public void reached() {
        probing.lock();
        try {
            Unreachable before = unreachable;
            unreachable = null;
            probedOnce = false;
            if (before != null) {
                RunnerLog.LOG.info("the service at {} is reachable again (unreachable since {})", url,
                        before.since());
            }
        } finally {
            probing.unlock();
        }
    }

    /** One check: {@code null} when a connection (and TLS handshake) succeeded, else the cause in a few words. */
    String probe() {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "the url is not a valid URI (" + e.getMessage() + ")";
        }
        String host = uri.getHost();
        if (host == null) {
            return "the url has no host";
        }
        boolean tls = !"http".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return "DNS lookup of " + host + " failed (unknown host)";
        }
        int timeoutMillis = (int) connectTimeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            if (tls) {
                socket.setSoTimeout(timeoutMillis);
                try (SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, host, port, false)) {
                    ssl.startHandshake();
                }
            }
            return null;
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return (m.contains("refused") ? "connection refused" : "connection failed (" + e.getMessage() + ")")
                    + " by " + address.getHostAddress() + ":" + port;
        } catch (NoRouteToHostException e) {
            return "no route to " + address.getHostAddress() + ":" + port;
        } catch (SocketTimeoutException e) {
            return (tls ? "connect or TLS handshake" : "connect") + " to " + address.getHostAddress() + ":" + port
                    + " timed out after " + connectTimeout.toMillis() + " ms";
        } catch (SSLException e) {
            return "TLS handshake with " + host + ":" + port + " failed (" + e.getMessage() + ")";
        } catch (IOException e) {
            return "connection to " + address.getHostAddress() + ":" + port + " failed (" + e + ")";
        }
    }
}
