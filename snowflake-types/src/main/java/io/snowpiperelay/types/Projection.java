package io.snowpiperelay.types;

import java.util.List;
import java.util.Objects;

/**
 * One item of a pipe transform's SELECT list: {@code $1}, {@code $1:a}, {@code $1:a.b[0]}, {@code $1['a b']},
 * optionally cast with {@code ::TYPE}. Element names are case-sensitive and a missing element is NULL
 * (Q-SEMI, GET semantics). Immutable.
 *
 * @param path       steps from the row object; empty means the whole row ({@code $1})
 * @param cast       the {@code ::TYPE} cast, or null
 * @param expression the projection as written, for messages
 */
public record Projection(List<PathStep> path, ColumnType cast, String expression) {
    public Projection {
        path = List.copyOf(path);
        Objects.requireNonNull(expression, "expression");
    }
}
