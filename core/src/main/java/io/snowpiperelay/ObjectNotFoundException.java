package io.snowpiperelay;

/**
 * The database, schema, pipe or table does not exist or is not visible to the role (HTTP 404 at client build
 * or channel open). Fatal at once.
 */
public final class ObjectNotFoundException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String target;

    /** Creates the exception; the message is built from the facts, which stay available as fields. */
    public ObjectNotFoundException(String target, String detail, Throwable cause) {
        super(target + ": not found or not authorised (" + detail + "). Check the database, schema and pipe names"
                + " (a table's default pipe is <TABLE>-STREAMING), that the table exists, and that the role is"
                + " granted USAGE on the database and schema and OPERATE on the pipe.", cause);
        this.target = target;
    }

    /** What was being accessed. */
    public String target() {
        return target;
    }
}
