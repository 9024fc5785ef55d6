package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * FLOAT / DOUBLE / REAL (§1.3): JSON numbers; numeric strings; the special strings {@code NaN},
 * {@code inf}, {@code -inf}, {@code Infinity}, {@code -Infinity} (case-insensitive, DT-NUM and KC-E2E; the
 * Java SDK sends {@code Double.NaN} as {@code "NaN"}); other strings → "not recognized"; booleans, objects,
 * arrays → "Failed to cast variant value". Result: {@code Double}. Note that SQLite stores a NaN double as
 * NULL.
 */
final class FloatConverter extends ValueConverter {

    FloatConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> finite(p.getDoubleValue());
            case VALUE_STRING -> fromString(p.getText());
            default -> throw cannotCast(p, t);
        };
    }

    @Override
    Object fastString(String s) throws RowRejected {
        return fromString(s);
    }

    @Override
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        return finite((double) v);  // what Jackson's getDoubleValue() gives for an integer of at most 18 digits
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        return finite(Double.parseDouble(text));  // what getDoubleValue() parses the token's text with
    }

    @Override
    Object fastBoolean(boolean v) throws RowRejected {
        throw cannotCast();
    }

    @Override
    Object fastNull() {
        return null;
    }

    /** A finite number beyond the double range (1e400) is out of range; only the special strings give ±inf. */
    private static Double finite(double d) throws RowRejected {
        if (Double.isInfinite(d)) {
            throw new RowRejected(RejectionRule.OUT_OF_RANGE, "Numeric value '" + REDACTED + "' is out of range");
        }
        return d;
    }

    static Double fromString(String text) throws RowRejected {
        String s = text.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    // BigDecimal's grammar, not Double.parseDouble's: "1d", "0x1p3" are not numbers to Snowflake.
                    return finite(new BigDecimal(s).doubleValue());
                } catch (NumberFormatException e) {
                    throw new RowRejected(RejectionRule.NOT_A_NUMBER, "Numeric value '" + REDACTED + "' is not recognized");
                }
        }
    }
}
