package io.snowpiperelay.types;

import java.util.Objects;

/**
 * One step of a {@link Projection} path: an object field ({@code field != null}) or an array index. Immutable.
 *
 * @param field the case-sensitive field name, or null for an index step
 * @param index the array index when {@code field} is null
 */
public record PathStep(String field, int index) {
    /** An object-field step. */
    public static PathStep field(String name) {
        return new PathStep(Objects.requireNonNull(name), -1);
    }

    /** An array-index step. */
    public static PathStep index(int index) {
        return new PathStep(null, index);
    }
}
