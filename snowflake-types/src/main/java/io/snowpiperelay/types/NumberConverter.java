package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * NUMBER(p,s) (§1.2): JSON numbers and numeric strings (integer, decimal or {@code 1.23E4}; trimmed, as
 * the classic SDK does); more fractional digits than s are rounded half away from zero (HALF_UP, TO_DEC /
 * CL-SDK); more than p−s integer digits → "out of range"; other strings → "not recognized"; booleans,
 * objects and arrays → "Failed to cast variant value" (§6 accepts only numbers and numeric strings; the
 * TO_DECIMAL boolean rule is not verified for HP).
 *
 * <p>Result: {@code Long} when s = 0 and the value fits in 64 bits (SQLite INTEGER), else a
 * {@code BigDecimal} with scale s.
 */
final class NumberConverter extends ValueConverter {

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long v = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = v;
            v *= 10;
        }
    }

    private final int integerDigits;
    /** Largest magnitude a long may have to fit p−s integer digits; Long.MAX_VALUE when any long fits. */
    private final long maxIntegral;

    NumberConverter(ColumnType type) {
        super(type);
        this.integerDigits = type.precision() - type.scale();
        this.maxIntegral = integerDigits >= 19 ? Long.MAX_VALUE : POWERS_OF_TEN[integerDigits] - 1;
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return fromLong(p.getLongValue());
                }
                return fromDecimal(p.getDecimalValue());
            case VALUE_NUMBER_FLOAT:
                return fromDecimal(p.getDecimalValue());
            case VALUE_STRING:
                return fromString(p.getText());
            default:
                throw cannotCast(p, t);
        }
    }

    @Override
    Object fastString(String s) throws RowRejected {
        return fromString(s);
    }

    @Override
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        return fromLong(v);
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        return fromDecimal(new BigDecimal(text));  // getDecimalValue() of a float token: the exact text
    }

    @Override
    Object fastBoolean(boolean v) throws RowRejected {
        throw cannotCast();
    }

    @Override
    Object fastNull() {
        return null;
    }

    /** The hot path: an integer that fits in a long, no BigDecimal when s = 0. */
    Object fromLong(long v) throws RowRejected {
        // Long.MIN_VALUE has 19 digits, more than any maxIntegral below Long.MAX_VALUE.
        if (maxIntegral != Long.MAX_VALUE && (v > maxIntegral || v < -maxIntegral)) {
            throw outOfRange();
        }
        if (type.scale() == 0) {
            return v;
        }
        return BigDecimal.valueOf(v).setScale(type.scale());
    }

    Object fromString(String text) throws RowRejected {
        BigDecimal d;
        try {
            // TO_DECIMAL on a string: integer, fractional or floating-point text; NaN/Infinity are not numbers.
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new RowRejected(RejectionRule.NOT_A_NUMBER, "Numeric value '" + REDACTED + "' is not recognized");
        }
        return fromDecimal(d);
    }

    Object fromDecimal(BigDecimal d) throws RowRejected {
        // Guard before setScale: "1e999999999" or "1e-999999999" would make setScale compute a power of
        // ten with a billion digits. Integer digits = precision − scale (≤ 0 when |d| < 1).
        if (d.signum() == 0) {
            return type.scale() == 0 ? (Object) 0L : BigDecimal.ZERO.setScale(type.scale());
        }
        if (d.precision() - d.scale() > integerDigits) {
            throw outOfRange();
        }
        if (d.scale() - d.precision() > type.scale()) {
            // |d| < 10^-(s+1): rounds to zero at scale s.
            return type.scale() == 0 ? (Object) 0L : BigDecimal.ZERO.setScale(type.scale());
        }
        BigDecimal scaled = d.setScale(type.scale(), RoundingMode.HALF_UP);
        // Rounding can add a digit (99.995 → 100.00 in NUMBER(4,2)).
        if (scaled.precision() - scaled.scale() > integerDigits) {
            throw outOfRange();
        }
        if (type.scale() == 0 && scaled.precision() <= 18) {
            return scaled.longValue();
        }
        return scaled;
    }

    private static RowRejected outOfRange() {
        return new RowRejected(RejectionRule.OUT_OF_RANGE, "Numeric value '" + REDACTED + "' is out of range");
    }
}
