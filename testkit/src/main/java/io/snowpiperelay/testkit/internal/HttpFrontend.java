package io.snowpiperelay.testkit.internal;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The Jetty server on 127.0.0.1: start on a port (0 = any free one), stop. */
public final class HttpFrontend implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private HttpFrontend(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts Jetty on {@code 127.0.0.1:port}.
     *
     * @throws IllegalStateException if the port cannot be bound
     */
    public static HttpFrontend start(int port, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(200, 4, 60_000);
        pool.setName("snowpipe-emulator-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        // channel names may contain '/', '%', ';' …: the handler parses the raw path itself
        config.setUriCompliance(UriCompliance.UNSAFE);
        config.setRequestHeaderSize(64 * 1024);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setReuseAddress(true);
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("cannot start the emulator's HTTP server on 127.0.0.1:" + port + ": " + e, e);
        }
        return new HttpFrontend(server, connector);
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the emulator's HTTP server: " + e, e);
        }
    }
}
