package io.snowpiperelay.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RelayConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report: the
 * property to fix, what is wrong with it, and what to do. Registered in {@code META-INF/spring.factories}.
 */
public final class RelayConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<RelayConfigurationException> {

    /** Created by Spring Boot from {@code META-INF/spring.factories}. */
    public RelayConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RelayConfigurationException cause) {
        return new FailureAnalysis("The snowpipe relay is misconfigured.\n\n    Property: " + cause.property()
                + "\n    Problem:  " + cause.problem() + "\n", "Fix " + cause.property() + ": " + cause.action()
                + ".", cause);
    }
}
