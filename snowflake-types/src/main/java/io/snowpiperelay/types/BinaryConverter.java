package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * BINARY(n) (§1.9): a string decoded as Base64, which is what default pipes always use and what the Java
 * SDK sends for {@code byte[]} (HP-PIPE, PROTO). Custom pipes would follow {@code BINARY_INPUT_FORMAT}
 * (HEX by default); the emulator uses Base64 for every pipe, because the SDK encodes {@code byte[]} as
 * Base64 regardless. More than n bytes → rejected. Result: upper-case hex text, Snowflake's default
 * {@code BINARY_OUTPUT_FORMAT}, so queries show what Snowflake shows.
 */
final class BinaryConverter extends ValueConverter {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    BinaryConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        return switch (t) {
            case VALUE_NULL -> null;
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
    Object fastBoolean(boolean v) throws RowRejected {
        throw cannotCast();
    }

    @Override
    Object fastNull() {
        return null;
    }

    String fromString(String text) throws RowRejected {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new RowRejected(RejectionRule.NOT_BASE64, "Binary value '" + REDACTED + "' is not a legal base64-encoded value");
        }
        if (bytes.length > type.length()) {
            throw new RowRejected(RejectionRule.TOO_LONG, "Binary value '" + REDACTED + "' is too long and would be truncated ("
                    + bytes.length + " bytes, maximum " + type.length() + ")");
        }
        return HEX.formatHex(bytes);
    }
}
