package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * BOOLEAN (§1.4): JSON {@code true}/{@code false}; the strings {@code true t yes y on 1} and
 * {@code false f no n off 0} (case-insensitive, DT-LOG / TO_BOOL); any other string → "Boolean value … is
 * not recognized". JSON numbers are rejected: the HP server refuses integer booleans (KC-E2E
 * {@code bool_coercion}, 3P-EMU "Failed to cast variant value 1 to BOOLEAN"), unlike the classic SDK.
 * Result: {@code Integer} 1 or 0.
 */
final class BooleanConverter extends ValueConverter {

    private static final Integer TRUE = 1;
    private static final Integer FALSE = 0;

    BooleanConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> TRUE;
            case VALUE_FALSE -> FALSE;
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
        throw cannotCast();
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        throw cannotCast();
    }

    @Override
    Object fastBoolean(boolean v) {
        return v ? TRUE : FALSE;
    }

    @Override
    Object fastNull() {
        return null;
    }

    static Integer fromString(String s) throws RowRejected {
        if (s.length() <= 5) {
            switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "t", "yes", "y", "on", "1":
                    return TRUE;
                case "false", "f", "no", "n", "off", "0":
                    return FALSE;
                default:
                    break;
            }
        }
        throw new RowRejected(RejectionRule.NOT_A_BOOLEAN, "Boolean value '" + REDACTED + "' is not recognized");
    }
}
