package io.snowpiperelay.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child process of {@link RelayGuardIT}: opens the relay source of a stream and holds it until stdin closes
 * or 120 s pass. Prints {@code LOCKED <pid>} once it holds the lock, or {@code REFUSED <message>} and exits
 * with 3 if another relay has the stream.
 */
public final class HoldRelayLockMain {

    private HoldRelayLockMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String stream = args[1];
        try (SqliteOutbox outbox = SqliteOutbox.open(file);
             SqliteOffsetSource source = outbox.openSource(stream)) {
            System.out.println("LOCKED " + ProcessHandle.current().pid() + " " + source.lockFile());
            System.out.flush();
            CountDownLatch stdinClosed = new CountDownLatch(1);
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // Wait for end of input.
                    }
                } catch (IOException ignored) {
                    // Parent gone.
                }
                stdinClosed.countDown();
            });
            watcher.setDaemon(true);
            watcher.start();
            // Bounded, so a forgotten child never lingers.
            stdinClosed.await(120, TimeUnit.SECONDS);
            System.out.println("RELEASING");
        } catch (OutboxLockedException refused) {
            System.out.println("REFUSED " + refused.getMessage());
            System.out.flush();
            System.exit(3);
        }
    }
}
