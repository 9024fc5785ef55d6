package io.snowpiperelay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.snowpiperelay.internal.sdk.RawJsonRowSerializer;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A row that is still the JSON object it came as: a {@code Map} for everyone who reads it as one (parsed on first
 * use), and its own UTF-8 bytes for the SDK, which writes rows as NDJSON and so sends them unchanged.
 *
 * <p>Why: the SDK serialises every row map back to JSON (with its shaded Jackson) before handing the bytes to its
 * native core. For a row that is JSON to begin with, parsing it into a map only for the SDK to write the same JSON
 * again was about 85% of the runner's own CPU (see docs/benchmarks.md). {@link RawJsonRowSerializer} tells the
 * SDK's Jackson to write this row's bytes as they are; {@code SdkChannelPort} checks once per JVM that the SDK in
 * use really does, and hands plain maps instead if it does not.
 *
 * <p>Only a payload whose map would be written as the same JSON object qualifies (see {@link #of}): exactly one
 * object, no repeated key at any depth, on one line (NDJSON), nothing after it. Anything else takes the map path,
 * with its exact semantics and refusal reasons. Immutable; the lazily parsed map is unmodifiable.
 */
@com.snowflake.shaded.jackson.databind.annotation.JsonSerialize(using = RawJsonRowSerializer.class)
public final class RawJsonRow extends AbstractMap<String, Object> {
    // Duplicate detection: a map keeps the last of two equal keys; the raw bytes would send both.
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final byte[] utf8;
    private final int from;
    private final int length;
    /** The parsed form, made on first use as a map; a benign race (the parse is deterministic). */
    private Map<String, Object> parsed;

    private RawJsonRow(byte[] utf8, int from, int length) {
        this.utf8 = utf8;
        this.from = from;
        this.length = length;
    }

    /**
     * The raw row for {@code utf8}, or {@code null} when the payload must take the map path: not one valid JSON
     * object, a repeated key, a line break between tokens, or content after the object. The array is kept, not
     * copied. Surrounding whitespace is left out of the row's bytes.
     */
    public static RawJsonRow of(byte[] utf8) {
        try (JsonParser p = STRICT.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long start = p.currentTokenLocation().getByteOffset();
            // Tokenises every value (strings, escapes, UTF-8 sequences and numbers are checked), builds nothing.
            p.skipChildren();
            long end = p.currentLocation().getByteOffset();
            if (p.currentLocation().getLineNr() != 1 || p.nextToken() != null) {
                return null;
            }
            if (start < 0 || end > utf8.length || utf8[(int) start] != '{' || utf8[(int) end - 1] != '}') {
                return null; // not where Jackson said it would be: never send bytes we have not located exactly
            }
            return new RawJsonRow(utf8, (int) start, (int) (end - start));
        } catch (IOException e) {
            return null; // the map path parses it again and says why it is refused
        }
    }

    /** The array holding this row's JSON; the row is {@link #length()} bytes from {@link #from()}. Do not modify. */
    public byte[] utf8() {
        return utf8;
    }

    /** Where this row's JSON object starts in {@link #utf8()}. */
    public int from() {
        return from;
    }

    /** The length in bytes of this row's JSON object. */
    public int length() {
        return length;
    }

    /** This row as an ordinary map (a new, modifiable copy), for an SDK that cannot take raw rows. */
    public Map<String, Object> toPlainMap() {
        try {
            return JsonRowReader.read(utf8);
        } catch (JsonRowReader.Refused e) {
            // of() accepted these bytes, so the full parse cannot refuse them.
            throw new IllegalStateException("a validated row failed to parse: " + e.getMessage(), e);
        }
    }

    private Map<String, Object> parsed() {
        Map<String, Object> map = parsed;
        if (map == null) {
            map = Collections.unmodifiableMap(toPlainMap());
            parsed = map;
        }
        return map;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return parsed().entrySet();
    }

    @Override
    public Object get(Object key) {
        return parsed().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return parsed().containsKey(key);
    }

    @Override
    public int size() {
        return parsed().size();
    }
}
