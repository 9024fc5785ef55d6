package io.snowpiperelay.types;

import java.util.Objects;

/**
 * Why Snowflake would reject a row, from {@link RowChecker}. Immutable.
 *
 * @param column the column whose value broke the rule (as Snowflake stores its name), or null when the row itself
 *               is bad (not one JSON object)
 * @param rule   the rule it broke
 * @param reason one line naming the table, the column, the rule and the column's type, describing the value by its
 *               kind and size only ("a string of 3 characters"), never by its content, e.g.
 *               {@code LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 3 characters is not a number (NUMBER(38,0))}
 */
public record RowRejection(String column, RejectionRule rule, String reason) {
    public RowRejection {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }
}
