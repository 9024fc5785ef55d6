package io.snowpiperelay.postgres;

import java.util.List;

/**
 * The database role lacks a privilege the outbox needs: {@code CREATE} on the schema to create the tables,
 * {@code INSERT} on the outbox table to append, or the relay's {@code SELECT}, {@code UPDATE}, {@code DELETE} and
 * {@code INSERT} rights. The message names the role and gives the {@code GRANT} statements that fix it
 * ({@link #grants()}); an owner of the tables (or a superuser) runs them. See {@code docs/postgres-outbox.md}.
 *
 * <p>Retrying does not help until the grants are given; the runner still retries it as a source error, within its
 * bound, so a grant given in the meantime lets it continue.
 */
public final class MissingGrantException extends PostgresOutboxException {
    private static final long serialVersionUID = 1L;

    private final String role;
    private final List<String> grants;

    /**
     * @param table  the outbox table, schema-qualified
     * @param stream the stream concerned, or {@code null}
     * @param role   the role that lacks the privileges ({@code current_user})
     * @param needed what the role was doing, e.g. "to relay" or "to create the outbox tables"
     * @param grants the statements that would fix it, e.g. {@code GRANT INSERT ON public.snowpipe_outbox TO app}
     * @param cause  the SQL error that revealed it, or {@code null} when a privilege check found it first
     */
    public MissingGrantException(String table, String stream, String role, String needed, List<String> grants,
                                 Throwable cause) {
        super(table, stream, "outbox " + table + (stream == null ? "" : " stream " + stream) + ": role " + role
                + " lacks privileges " + needed + "; have an owner of the tables run: " + String.join("; ", grants)
                + " (see docs/postgres-outbox.md, section Grants)", cause);
        this.role = role;
        this.grants = List.copyOf(grants);
    }

    /** The role that lacks the privileges. */
    public String role() {
        return role;
    }

    /** The {@code GRANT} statements that give the missing privileges. */
    public List<String> grants() {
        return grants;
    }
}
