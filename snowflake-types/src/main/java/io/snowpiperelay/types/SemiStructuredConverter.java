package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * VARIANT, OBJECT and ARRAY (§1.8), stored as minified JSON text so SQLite's {@code json_extract} reads it.
 * <ul>
 *   <li>VARIANT: any value as is. HP is type-strict, so a string stays a JSON string ({@code "42"} is not
 *       parsed). JSON {@code null} is a VARIANT null, stored as the text {@code null}; a missing key is SQL
 *       NULL (KC-E2E {@code null_variant}).</li>
 *   <li>OBJECT: an object, or a string whose text is a JSON object ("Automatically parses JSON strings",
 *       HP-CMP); anything else, {@code "[1,2,3]"} included, is rejected; {@code null} → SQL NULL.</li>
 *   <li>ARRAY: an array as is; any other non-null value, strings included, wrapped in a one-element array
 *       (TO_ARRAY, HP-CMP: {@code "[1,2]"} becomes {@code ["[1,2]"]}); {@code null} → SQL NULL.</li>
 * </ul>
 */
final class SemiStructuredConverter extends ValueConverter {

    SemiStructuredConverter(ColumnType type) {
        super(type);
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        switch (type.kind()) {
            case VARIANT:
                return RawJson.of(p, t, buf, base);
            case ARRAY:
                if (t == JsonToken.VALUE_NULL) {
                    return null;
                }
                String json = RawJson.of(p, t, buf, base);
                return t == JsonToken.START_ARRAY ? json : "[" + json + "]";
            case OBJECT:
                if (t == JsonToken.VALUE_NULL) {
                    return null;
                }
                if (t == JsonToken.START_OBJECT) {
                    return RawJson.of(p, t, buf, base);
                }
                if (t == JsonToken.VALUE_STRING) {
                    return objectFromString(p.getText());
                }
                throw cannotCast(p, t);
            default:
                throw new IllegalStateException(type.sql());
        }
    }

    @Override
    Object fastString(String s) throws RowRejected {
        return switch (type.kind()) {
            case VARIANT -> RawJson.quote(s);
            case ARRAY -> "[" + RawJson.quote(s) + "]";
            case OBJECT -> objectFromString(s);
            default -> FALLBACK;
        };
    }

    @Override
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        String json = new String(text, from, to - from, StandardCharsets.ISO_8859_1);
        return switch (type.kind()) {
            case VARIANT -> json;
            case ARRAY -> "[" + json + "]";
            case OBJECT -> throw cannotCast();
            default -> FALLBACK;
        };
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        return switch (type.kind()) {
            case VARIANT -> text;
            case ARRAY -> "[" + text + "]";
            case OBJECT -> throw cannotCast();
            default -> FALLBACK;
        };
    }

    @Override
    Object fastBoolean(boolean v) throws RowRejected {
        String json = v ? "true" : "false";
        return switch (type.kind()) {
            case VARIANT -> json;
            case ARRAY -> "[" + json + "]";
            case OBJECT -> throw cannotCast();
            default -> FALLBACK;
        };
    }

    @Override
    Object fastNull() {
        return switch (type.kind()) {
            case VARIANT -> "null";
            case ARRAY, OBJECT -> null;
            default -> FALLBACK;
        };
    }

    @Override
    Object fastContainer(String json, boolean object) throws RowRejected {
        return switch (type.kind()) {
            case VARIANT -> json;
            case ARRAY -> object ? "[" + json + "]" : json;
            case OBJECT -> {
                if (!object) {
                    throw cannotCast();
                }
                yield json;
            }
            default -> FALLBACK;
        };
    }

    @Override
    Object checkContainer(byte[] b, int from, long scanned, boolean object) throws RowRejected {
        return switch (type.kind()) {
            case VARIANT, ARRAY -> CHECKED;
            case OBJECT -> {
                if (!object) {
                    throw cannotCast();
                }
                yield CHECKED;
            }
            default -> FALLBACK;
        };
    }

    private String objectFromString(String text) throws RowRejected {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (JsonParser inner = RowMapper.JSON.createParser(bytes)) {
            if (inner.nextToken() != JsonToken.START_OBJECT) {
                throw cannotCast();
            }
            String json = RawJson.of(inner, JsonToken.START_OBJECT, bytes, 0);
            if (inner.nextToken() != null) {
                throw cannotCast();
            }
            return json;
        } catch (IOException e) {
            // Not JSON at all ("not_json"): the same cast failure as a JSON string that is not an object.
            throw cannotCast();
        }
    }
}
