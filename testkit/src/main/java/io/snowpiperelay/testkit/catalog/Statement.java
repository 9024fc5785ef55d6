package io.snowpiperelay.testkit.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One statement of a setup script, as {@link Catalog#execute(String)} understood and applied it. Names are
 * normalised (unquoted upper-cased, quoted exact) and fully qualified with the current database and schema
 * at the time the statement ran.
 */
public sealed interface Statement {

    /** {@code CREATE [OR REPLACE] DATABASE [IF NOT EXISTS] name}; also makes it the current database. */
    record CreateDatabase(String name, boolean orReplace, boolean ifNotExists) implements Statement {
    }

    /** {@code CREATE [OR REPLACE] SCHEMA [IF NOT EXISTS] [db.]name}; also makes it the current schema. */
    record CreateSchema(String database, String name, boolean orReplace, boolean ifNotExists) implements Statement {
    }

    /** {@code CREATE [OR REPLACE] TABLE [IF NOT EXISTS] … (columns)}. */
    record CreateTable(TableDef table, boolean orReplace, boolean ifNotExists) implements Statement {
    }

    /** {@code CREATE [OR REPLACE] PIPE [IF NOT EXISTS] … AS COPY INTO … FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))}. */
    record CreatePipe(PipeDef pipe, boolean orReplace, boolean ifNotExists) implements Statement {
    }

    /**
     * {@code CREATE [OR REPLACE] USER [IF NOT EXISTS] name … [RSA_PUBLIC_KEY='…'] [RSA_PUBLIC_KEY_2='…'] …};
     * other properties are ignored.
     *
     * @param rsaPublicKeys the keys set by the statement, RSA_PUBLIC_KEY first
     */
    record CreateUser(String user, List<String> rsaPublicKeys, boolean orReplace, boolean ifNotExists) implements Statement {
    }

    /**
     * {@code ALTER USER [IF EXISTS] name SET RSA_PUBLIC_KEY='…' [RSA_PUBLIC_KEY_2='…']} or
     * {@code ALTER USER name UNSET RSA_PUBLIC_KEY[, RSA_PUBLIC_KEY_2]}.
     *
     * @param set   property name ({@code RSA_PUBLIC_KEY} or {@code RSA_PUBLIC_KEY_2}) → key
     * @param unset property names unset
     */
    record AlterUserKeys(String user, Map<String, String> set, Set<String> unset) implements Statement {
    }

    /**
     * {@code USE DATABASE x}, {@code USE SCHEMA [db.]x} or {@code USE x}: the current database and schema
     * afterwards ({@code schema} is {@code PUBLIC} after {@code USE DATABASE}, as in Snowflake).
     */
    record Use(String database, String schema) implements Statement {
    }

    /** {@code DROP DATABASE [IF EXISTS] name}. */
    record DropDatabase(String name, boolean ifExists) implements Statement {
    }

    /** {@code DROP SCHEMA [IF EXISTS] [db.]name}. */
    record DropSchema(String database, String name, boolean ifExists) implements Statement {
    }

    /** {@code DROP TABLE [IF EXISTS] name}. */
    record DropTable(String database, String schema, String name, boolean ifExists) implements Statement {
    }

    /** {@code DROP PIPE [IF EXISTS] name}. */
    record DropPipe(String database, String schema, String name, boolean ifExists) implements Statement {
    }

    /** {@code DROP USER [IF EXISTS] name}: forgets the user's keys. */
    record DropUser(String user, boolean ifExists) implements Statement {
    }

    /**
     * A statement the emulator does not model (GRANT, CREATE ROLE/WAREHOUSE/VIEW/DYNAMIC TABLE, SET, …).
     * It had no effect; one INFO line was logged for it.
     *
     * @param text   the statement as written (may contain string literals, so do not log it above DEBUG)
     * @param reason why it was skipped
     */
    record Skipped(String text, String reason) implements Statement {
    }
}
