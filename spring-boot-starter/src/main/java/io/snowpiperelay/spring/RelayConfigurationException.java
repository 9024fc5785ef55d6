package io.snowpiperelay.spring;

import io.snowpiperelay.RelayException;
import java.util.Objects;

/**
 * A {@code snowpipe.relay.*} property is missing or wrong; the application does not start. Carries the
 * property's full name, what is wrong with it and how to fix it; {@link RelayConfigurationFailureAnalyzer}
 * prints them in Spring Boot's "APPLICATION FAILED TO START" report. Never carries a secret's value.
 */
public final class RelayConfigurationException extends RelayException {
    private static final long serialVersionUID = 1L;

    private final String property;
    private final String problem;
    private final String action;

    /**
     * @param property the full property name, e.g. {@code snowpipe.relay.channels[0].sqlite.path}
     * @param problem  what is wrong, with the (non-secret) value
     * @param action   what to do about it
     * @param cause    the underlying error, or {@code null}
     */
    public RelayConfigurationException(String property, String problem, String action, Throwable cause) {
        super(Objects.requireNonNull(property, "property") + ": " + problem + "; " + action, cause);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    /** The full name of the property to fix, e.g. {@code snowpipe.relay.profile.private-key-env}. */
    public String property() {
        return property;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
