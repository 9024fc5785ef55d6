package io.snowpiperelay.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code docs/snowflake-setup.sql}, as packaged into the jar at build time (the examples POM copies it), so
 * the emulator and the demo load exactly what a user runs in Snowflake, from any working directory.
 */
public final class SetupSql {

    /** The classpath resource the build copies {@code docs/snowflake-setup.sql} to. */
    public static final String RESOURCE = "/io/snowpiperelay/examples/snowflake-setup.sql";
    /** The database the setup creates. */
    public static final String DATABASE = "STREAMING_INGEST";
    /** The schema the setup creates. */
    public static final String SCHEMA = "STREAMING_INGEST";

    private SetupSql() {
    }

    /**
     * The script text.
     *
     * @throws IllegalStateException if the resource is missing (a build that skipped resource copying)
     */
    public static String text() {
        try (InputStream in = SetupSql.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath; build"
                        + " the examples module with Maven (it copies docs/snowflake-setup.sql into the jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
