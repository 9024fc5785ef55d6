package io.snowpiperelay.benchmarks;

import java.util.OptionalLong;
import java.util.Properties;

/** The emulator the end-to-end tool measures against, in this JVM or in a child JVM. */
interface EmulatorHandle extends AutoCloseable {

    /** SDK client properties that reach this emulator (url, user, account, key, emulator-safe settings). */
    Properties clientProperties();

    /** The account URL, {@code http://127.0.0.1:PORT}. */
    String url();

    /** CPU time the emulator's process used so far, in ns; -1 when it shares this JVM (then it is in ours). */
    long cpuNanos();

    /** Rows stored in {@code table}, when the store can be queried. */
    OptionalLong tableRowCount(String table);

    /**
     * Deletes the rows of {@code table} (between modes, so the store holds one mode's rows at most).
     *
     * @return false when the store has no such table
     */
    boolean clearTable(String table);

    /** Where the emulator runs, for the report: {@code "in-process"} or {@code "child JVM, pid N"}. */
    String describe();

    @Override
    void close();
}
