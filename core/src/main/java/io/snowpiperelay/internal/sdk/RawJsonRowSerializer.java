package io.snowpiperelay.internal.sdk;

import com.snowflake.shaded.jackson.core.JsonGenerator;
import com.snowflake.shaded.jackson.core.SerializableString;
import com.snowflake.shaded.jackson.databind.JsonSerializer;
import com.snowflake.shaded.jackson.databind.SerializerProvider;
import io.snowpiperelay.internal.RawJsonRow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a {@link RawJsonRow} through the SDK's (shaded) Jackson as the raw JSON value it already is. Named by
 * the annotation on {@code RawJsonRow}; the SDK's {@code appendRows} serialises rows with an untyped
 * {@code ObjectWriter}, which looks serializers up by the row's class. Public for Jackson to instantiate it.
 */
public final class RawJsonRowSerializer extends JsonSerializer<RawJsonRow> {

    @Override
    public void serialize(RawJsonRow row, JsonGenerator gen, SerializerProvider provider) throws IOException {
        // writeRawValue keeps the generator's state right: the NDJSON separator goes before every row but the first.
        gen.writeRawValue(new RawUtf8(row.utf8(), row.from(), row.length()));
    }

    @Override
    public Class<RawJsonRow> handledType() {
        return RawJsonRow.class;
    }

    /**
     * A slice of UTF-8 JSON as Jackson's {@link SerializableString}: the UTF-8 generator copies it with
     * {@link #appendUnquotedUTF8} straight into its buffer. Only the unquoted forms are ever asked for a raw value.
     */
    private record RawUtf8(byte[] bytes, int from, int length) implements SerializableString {

        @Override
        public String getValue() {
            return new String(bytes, from, length, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return Arrays.copyOfRange(bytes, from, from + length);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) {
                return -1; // Jackson then writes asUnquotedUTF8() in pieces
            }
            System.arraycopy(bytes, from, buffer, offset, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes, from, length);
            return length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes, from, length);
            return length;
        }

        // The quoted forms would turn the row into a JSON string: never what a raw value means.
        @Override
        public char[] asQuotedChars() {
            throw quoted();
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw quoted();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw quoted();
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw quoted();
        }

        private static UnsupportedOperationException quoted() {
            return new UnsupportedOperationException("a raw JSON row is never written as a quoted string");
        }
    }
}
