package io.snowpiperelay.testkit.internal;

/** Creates the schema backend the emulator uses. */
public final class SchemaBackends {

    private SchemaBackends() {
    }

    /** A fresh, empty backend. */
    public static SchemaBackend create() {
        return new CatalogBackend();
    }
}
