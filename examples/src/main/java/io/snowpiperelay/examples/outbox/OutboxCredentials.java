package io.snowpiperelay.examples.outbox;

import picocli.CommandLine.Help;
import picocli.CommandLine.Option;

/**
 * Picocli mixin: the role and password of a PostgreSQL {@code --outbox}. Each falls back to the environment
 * ({@code PGUSER}, {@code PGPASSWORD}, as for {@code psql}). The password is never printed: not in {@code --help}
 * (no default shown), not in messages, not in {@link #toString()}.
 */
public final class OutboxCredentials {

    @Option(names = "--outbox-user", paramLabel = "ROLE", defaultValue = "${env:PGUSER}",
            description = "With a PostgreSQL --outbox: the role to log in as; default: the environment variable PGUSER.")
    String user;

    @Option(names = "--outbox-password", paramLabel = "PASSWORD", defaultValue = "${env:PGPASSWORD}",
            arity = "0..1", interactive = true, echo = false, showDefaultValue = Help.Visibility.NEVER,
            description = "With a PostgreSQL --outbox: the role's password (without a value: asked for);"
                    + " default: the environment variable PGPASSWORD.")
    char[] password;

    /** No credentials: the server's own rules (e.g. a trusted local login) or a password in a .pgpass file. */
    public static OutboxCredentials none() {
        return new OutboxCredentials();
    }

    /** Credentials given in code (tests, embedding). */
    public static OutboxCredentials of(String user, char[] password) {
        OutboxCredentials credentials = new OutboxCredentials();
        credentials.user = user;
        credentials.password = password == null ? null : password.clone();
        return credentials;
    }

    /** The role, or {@code null} for the driver's default. */
    public String user() {
        return user == null || user.isEmpty() ? null : user;
    }

    /** The password, or {@code null}; a copy the caller may clear. */
    char[] password() {
        return password == null || password.length == 0 ? null : password.clone();
    }

    @Override
    public String toString() {
        return "OutboxCredentials[user=" + user() + ", password=" + (password() == null ? "none" : "****") + "]";
    }
}
