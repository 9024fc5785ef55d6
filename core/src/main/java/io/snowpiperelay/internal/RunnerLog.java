package io.snowpiperelay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger of a runner's parts. They all log under the runner's name,
 * {@code io.snowpiperelay.ExactlyOnceChannelRunner}: operators filter and configure that one logger
 * (docs/guarantees.md), and the split of the runner into parts is an implementation detail that must not change
 * what they see.
 */
final class RunnerLog {
    static final Logger LOG = LoggerFactory.getLogger("io.snowpiperelay.ExactlyOnceChannelRunner");

    private RunnerLog() {
    }
}
