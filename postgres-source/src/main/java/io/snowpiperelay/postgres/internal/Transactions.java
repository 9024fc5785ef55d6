package io.snowpiperelay.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one transaction on a session that is in auto-commit mode before and after: the relay's sessions stay
 * in auto-commit between calls, so a failed call never leaves a transaction open on them.
 */
public final class Transactions {

    private Transactions() {
    }

    /** Work run inside the transaction; throwing aborts it. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection session) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on {@code session} and commits; rolls back if {@code work} or the commit
     * throws. {@code session} is back in auto-commit mode when this returns or throws.
     */
    public static <T> T inTransaction(Connection session, Work<T> work) throws SQLException {
        session.setAutoCommit(false);
        boolean committed = false;
        try {
            T result = work.run(session);
            session.commit();
            committed = true;
            return result;
        } finally {
            try {
                if (!committed) {
                    session.rollback();
                }
            } finally {
                session.setAutoCommit(true);
            }
        }
    }
}
