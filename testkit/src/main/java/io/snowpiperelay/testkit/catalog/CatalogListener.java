package io.snowpiperelay.testkit.catalog;

/**
 * Observer of changes to a {@link Catalog}, for example the store that keeps one SQLite table per
 * Snowflake table. Every method defaults to a no-op.
 *
 * <p>Callbacks run on the thread that called {@link Catalog#execute(String)}, while the catalog's lock
 * is held, in statement order; they may read the catalog but must not call {@code execute}. An exception
 * thrown by a callback stops the script and propagates to the caller of {@code execute}.
 */
public interface CatalogListener {

    /** A table was created (also the second half of a {@link #tableReplaced}). */
    default void tableCreated(TableDef table) {
    }

    /** A table was dropped, directly or with its schema or database (also the first half of a replace). */
    default void tableDropped(TableDef table) {
    }

    /**
     * {@code CREATE OR REPLACE TABLE} replaced an existing table: in Snowflake the old rows are gone. The
     * default calls {@link #tableDropped} then {@link #tableCreated}; override to, say, keep rows when the
     * definition is unchanged (a restarted emulator re-running its setup script).
     */
    default void tableReplaced(TableDef previous, TableDef created) {
        tableDropped(previous);
        tableCreated(created);
    }

    /** The RSA public keys of a user (upper-cased name, as in {@link Catalog#userPublicKeys()}) changed. */
    default void userKeysChanged(String user) {
    }
}
