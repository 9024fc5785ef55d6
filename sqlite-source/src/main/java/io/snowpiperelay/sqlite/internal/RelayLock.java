package io.snowpiperelay.sqlite.internal;

import io.snowpiperelay.sqlite.OutboxLockedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The two-relay guard: an exclusive operating-system lock on {@code <outbox file>.<stream>.relay.lock}.
 *
 * <p>Why a sidecar file: SQLite's own locks on the database file are per transaction, not per relay, and
 * the operating system drops a file lock when its process dies, even by {@code kill -9}, so a crashed relay
 * never leaves a stale lock behind. The file itself stays; it is harmless and reused.
 *
 * <p>Why an in-JVM registry too: the JVM refuses a second lock on the same file from the same process
 * ({@link OverlappingFileLockException}), and on POSIX systems closing <em>any</em> descriptor of the file
 * releases every lock the process holds on it. So a second opener in this JVM must be refused before it
 * opens the file at all; {@link #HELD_IN_THIS_JVM} does that.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class RelayLock implements AutoCloseable {

    /** Lock files (real directory + file name) held by this JVM. Guards the rule "one descriptor per lock file". */
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean released = new AtomicBoolean();

    private RelayLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file guarding {@code stream} of the outbox at {@code realOutboxFile} (a real path). */
    public static Path lockFileOf(Path realOutboxFile, String stream) {
        return realOutboxFile.resolveSibling(realOutboxFile.getFileName() + "." + stream + ".relay.lock");
    }

    /**
     * Takes the lock without waiting.
     *
     * @param realOutboxFile the outbox file as a real path (symbolic links resolved), so that every
     *                       spelling of the path meets at one lock file
     * @param stream         the stream's canonical name (as stored in {@code sqlite_master})
     * @throws OutboxLockedException if another relay in this or another process holds it
     * @throws IOException           if the lock file cannot be created or locked
     */
    public static RelayLock acquire(Path realOutboxFile, String stream) throws IOException {
        Path lockFile = lockFileOf(realOutboxFile, stream);
        if (!HELD_IN_THIS_JVM.add(lockFile)) {
            throw new OutboxLockedException(realOutboxFile, stream, lockFile,
                    "another relay in this process (pid " + ProcessHandle.current().pid() + ")");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile,
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                // Someone in this JVM locked the file without going through this class.
                lock = null;
            }
            if (lock == null) {
                String holder = "another process" + describeHolder(channel);
                channel.close();
                channel = null;
                throw new OutboxLockedException(realOutboxFile, stream, lockFile, holder);
            }
            // Who holds it, for the message the next opener gets. Diagnostic only: the lock is the guard.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new RelayLock(lockFile, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            // Only after our descriptor is closed may another opener in this JVM open the file.
            HELD_IN_THIS_JVM.remove(lockFile);
            throw e;
        }
    }

    private static String describeHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(128);
            channel.read(buffer, 0);
            String content = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            int newline = content.indexOf('\n');
            String firstLine = newline < 0 ? content : content.substring(0, newline);
            return firstLine.startsWith("pid ") ? " (" + firstLine + ")" : "";
        } catch (IOException unreadable) {
            return "";
        }
    }

    /** The lock file. */
    public Path lockFile() {
        return lockFile;
    }

    /** Releases the lock; idempotent. */
    @Override
    public void close() throws IOException {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                channel.truncate(0);
                lock.release();
            } finally {
                channel.close();
            }
        } finally {
            HELD_IN_THIS_JVM.remove(lockFile);
        }
    }
}
