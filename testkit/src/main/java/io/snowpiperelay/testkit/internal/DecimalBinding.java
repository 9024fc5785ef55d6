package io.snowpiperelay.testkit.internal;

import java.math.BigDecimal;

/**
 * How {@link Store} binds a {@link BigDecimal} (a NUMBER(p,s) value) without changing what SQLite stores.
 *
 * <p>sqlite-jdbc binds a BigDecimal as its {@code toString()} text, which the column's NUMERIC affinity turns
 * into a number: SQLite reads the text as a double and stores an INTEGER when that double is whole, else a REAL.
 * For a whole value whose magnitude is below 2<sup>53</sup> the double is exact, so the stored value is exactly
 * that integer, which binding the integer itself stores too, without formatting text and parsing it back (the
 * hot case: prices like {@code 384.00} in DECIMAL(7,2)). Every other value keeps the text binding, so SQLite's
 * own rounding applies as before.
 */
final class DecimalBinding {

    /** Returned by {@link #wholeValue} for a value that keeps its text binding. */
    static final long NOT_WHOLE = Long.MIN_VALUE;

    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

    private DecimalBinding() {
    }

    /**
     * The value of {@code d} as a long when it is whole, has a positive scale (the text has a fraction of zeros,
     * which SQLite folds into an INTEGER) and is exactly representable as a double; else {@link #NOT_WHOLE}.
     */
    static long wholeValue(BigDecimal d) {
        int scale = d.scale();
        if (scale <= 0 || scale > 18 || d.precision() > 18) {
            return NOT_WHOLE;  // scale ≤ 0: an integer text, whose own rules (e.g. above 2^63) stay SQLite's
        }
        long unscaled = d.unscaledValue().longValue();  // exact: at most 18 digits
        long power = 1;
        for (int i = 0; i < scale; i++) {
            power *= 10;  // at most 10^18: no overflow
        }
        if (unscaled % power != 0) {
            return NOT_WHOLE;
        }
        long whole = unscaled / power;
        return Math.abs(whole) < EXACT_DOUBLE_LIMIT ? whole : NOT_WHOLE;
    }
}
