package io.snowpiperelay.testkit;

import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts a {@link SnowpipeEmulator} and closes it afterwards. Register it with
 * {@code @RegisterExtension}: on a {@code static} field the emulator lives for the whole class, on an instance
 * field it is started and closed around each test.
 *
 * <pre>{@code
 * class MyRelayIT {
 *     @RegisterExtension
 *     static final SnowpipeEmulatorExtension EMULATOR = new SnowpipeEmulatorExtension(
 *             SnowpipeEmulator.builder().sql("CREATE TABLE DB.PUBLIC.T (ID NUMBER)"));
 *
 *     @Test
 *     void lands() {
 *         Properties props = EMULATOR.clientProperties();
 *         // build a client with the SDK, append, wait for commit …
 *         assertEquals(1, EMULATOR.emulator().queryForLong("SELECT COUNT(*) FROM T"));
 *     }
 * }
 * }</pre>
 *
 * <p>Requires {@code junit-jupiter-api} on the test classpath (the testkit declares it {@code provided}).
 */
public final class SnowpipeEmulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Supplier<SnowpipeEmulator> factory;
    /** Guarded by {@code this}. */
    private SnowpipeEmulator emulator;
    private boolean perClass;
    /** Guarded by {@code this}: nesting depth of class-level callbacks ({@code @Nested} classes share the emulator). */
    private int classDepth;

    /** An extension whose emulator has every default. */
    public SnowpipeEmulatorExtension() {
        this(SnowpipeEmulator.builder());
    }

    /** An extension that builds its emulator(s) from {@code builder} (which must not change afterwards). */
    public SnowpipeEmulatorExtension(SnowpipeEmulator.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        this.factory = builder::build;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        perClass = true;
        if (classDepth++ == 0) {
            emulator = factory.get().start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--classDepth == 0 && emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (!perClass) {
            emulator = factory.get().start();
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        if (!perClass && emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /**
     * The running emulator.
     *
     * @throws IllegalStateException outside the extension's lifetime
     */
    public synchronized SnowpipeEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("the emulator runs only while the class's or the test's callbacks are active");
        }
        return emulator;
    }

    /** Shortcut for {@code emulator().url()}. */
    public String url() {
        return emulator().url();
    }

    /** Shortcut for {@code emulator().clientProperties()}. */
    public Properties clientProperties() {
        return emulator().clientProperties();
    }
}
