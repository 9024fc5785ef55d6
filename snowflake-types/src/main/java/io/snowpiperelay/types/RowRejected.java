package io.snowpiperelay.types;

/**
 * Internal signal that a value cannot be converted. Cheap: no stack trace, because rejected rows are an
 * expected outcome (fault tests send many) and the message is all the caller needs.
 */
final class RowRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which rule the value broke. */
    final RejectionRule rule;

    RowRejected(RejectionRule rule, String message) {
        super(message, null, false, false);
        this.rule = rule;
    }
}
