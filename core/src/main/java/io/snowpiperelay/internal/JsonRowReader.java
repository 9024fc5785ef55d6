package io.snowpiperelay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads one JSON object from UTF-8 bytes into the row map the SDK takes: Jackson's map binding, with the root
 * value classified first (so a refusal can say what was found instead of an object) and trailing content checked
 * after. Used for the payloads that cannot go to the SDK as {@link RawJsonRow}s, and for reading those as maps.
 *
 * <p>Values: strings as {@code String}; integers as {@code Integer}/{@code Long}/{@code BigInteger}, as large as
 * they are; decimals as {@link BigDecimal} (no precision lost on the way to NUMBER(p,s)); {@code true}/{@code false}
 * as {@code Boolean}; nested objects and arrays as {@code LinkedHashMap} and {@code ArrayList} for VARIANT, OBJECT
 * and ARRAY columns. A repeated key keeps its last value, as Jackson's map binding does.
 *
 * <p>A refusal reason names the kind of problem and where it is (line, column), never any of the payload's text:
 * reasons are logged and stored next to the payload, and a bad token is often the very value that must not leak.
 * Thread-safe.
 */
final class JsonRowReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final ObjectReader ROW_READER = MAPPER.readerFor(new TypeReference<Map<String, Object>>() { });

    private JsonRowReader() {
    }

    /** Why a payload is not a row; the message quotes none of the payload. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads the JSON object in {@code utf8}. */
    static Map<String, Object> read(byte[] utf8) throws Refused {
        return read(utf8, 0, utf8.length);
    }

    /** Reads the JSON object in {@code utf8[from, from + length)}. */
    static Map<String, Object> read(byte[] utf8, int from, int length) throws Refused {
        try (JsonParser p = FACTORY.createParser(utf8, from, length)) {
            return readRoot(p);
        } catch (JsonProcessingException e) {
            throw new Refused(describe(e));
        } catch (IOException e) {
            // Not reachable for in-memory input; kept distinct so a future source of I/O errors is not misnamed.
            throw new Refused("payload could not be read: " + e.getClass().getSimpleName());
        }
    }

    private static Map<String, Object> readRoot(JsonParser p) throws IOException, Refused {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new Refused("payload is empty");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new Refused("payload is not a JSON object (found " + kind(first) + ")");
        }
        // Jackson binds the object (BigDecimal for decimals); this class only classifies and checks around it.
        Map<String, Object> row = ROW_READER.readValue(p);
        JsonLocation afterRoot = p.currentLocation();
        JsonToken trailing;
        try {
            trailing = p.nextToken();
        } catch (JsonProcessingException e) {
            // Garbage after the object: say so, at the place the parser stopped.
            throw new Refused("payload has content after the JSON object" + at(afterRoot));
        }
        if (trailing != null) {
            throw new Refused("payload has content after the JSON object" + at(p.currentTokenLocation()));
        }
        return row;
    }

    /** The kind of a root value, named like Jackson's {@code JsonNodeType}; never the value. */
    private static String kind(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> "UNKNOWN";
        };
    }

    /**
     * Why Jackson refused a payload, from the exception's type and location only. Jackson's messages quote the
     * offending text ({@code Unrecognized token 'confidential4711'}), so none is used.
     */
    private static String describe(JsonProcessingException e) {
        String at = at(e.getLocation());
        if (e instanceof JsonEOFException) {
            return "payload is not valid JSON: unexpected end of input" + at;
        }
        if (e instanceof StreamConstraintsException) {
            return "payload is over a JSON parser limit (number or string length, or nesting depth)" + at;
        }
        return "payload is not valid JSON: unexpected token" + at;
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
