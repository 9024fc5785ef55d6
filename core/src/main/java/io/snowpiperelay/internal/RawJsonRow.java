package io.snowpiperelay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.snowpiperelay.internal.sdk.RawJsonRowSerializer;
import io.snowpiperelay.spi.JsonLines;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A row that is still the JSON object it came as: a {@code Map} for everyone who reads it as one (parsed on first
 * use), and its own UTF-8 bytes for the SDK, which writes rows as NDJSON and so sends them unchanged.
 *
 * <p>Why: the SDK serialises every row map back to JSON (with its shaded Jackson) before handing the bytes to its
 * native core. For a row that is JSON to begin with, parsing it into a map only for the SDK to write the same JSON
 * again was most of the runner's own CPU (see docs/benchmarks.md). {@link RawJsonRowSerializer} tells the
 * SDK's Jackson to write this row's bytes as they are; {@code SdkChannelPort} checks once per JVM that the SDK in
 * use really does, and hands plain maps instead if it does not.
 *
 * <p>Only a payload whose map would be written as the same JSON object qualifies (see {@link #of}): exactly one
 * object, no repeated key at any depth, on one line (NDJSON), nothing after it. Anything else takes the map path,
 * with its exact semantics and refusal reasons. Immutable; the lazily parsed map is unmodifiable.
 */
@com.snowflake.shaded.jackson.databind.annotation.JsonSerialize(using = RawJsonRowSerializer.class)
public final class RawJsonRow extends AbstractMap<String, Object> {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Wider objects take the map path: the duplicate-key scan below is quadratic in an object's key count. */
    static final int MAX_KEYS_PER_OBJECT = 256;

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
     * object, a repeated key, a line break between tokens, content after the object, or an object of more than
     * {@link #MAX_KEYS_PER_OBJECT} keys. The array is kept, not copied. Surrounding whitespace is left out of the
     * row's bytes.
     */
    public static RawJsonRow of(byte[] utf8) {
        try (JsonParser p = FACTORY.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long start = p.currentTokenLocation().getByteOffset();
            // Tokenises every value (strings, escapes, UTF-8 sequences and numbers are checked), builds nothing.
            if (!hasUniqueKeys(p)) {
                return null;
            }
            JsonLocation afterObject = p.currentLocation();
            long end = afterObject.getByteOffset();
            if (afterObject.getLineNr() != 1 || p.nextToken() != null) {
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

    /**
     * The raw row for a payload its source already checked with {@link #of} when it stored it
     * ({@code SourceRecord#ofCheckedJsonUtf8}), without tokenising it again; {@code null} when the bytes are not
     * one line between braces after all (then the caller checks them in full). That guard is what keeps a wrongly
     * marked payload from adding or splitting NDJSON lines in the SDK's request: valid JSON never holds a raw line
     * break, so it costs one pass over the bytes and rejects nothing {@link #of} accepts.
     */
    public static RawJsonRow ofChecked(byte[] utf8) {
        return ofChecked(utf8, 0, utf8.length, false);
    }

    /**
     * {@link #ofChecked(byte[])} for the payload {@code utf8[from, from + length)}.
     *
     * @param oneLine whether core's split already found the payload free of line breaks
     *                ({@code SourceRecord#isOneCheckedLine}): then only the braces are checked, not every byte again
     */
    public static RawJsonRow ofChecked(byte[] utf8, int from, int length, boolean oneLine) {
        int end = from + length;
        while (from < end && isWhitespace(utf8[from])) {
            from++;
        }
        while (end > from && isWhitespace(utf8[end - 1])) {
            end--;
        }
        if (end - from < 2 || utf8[from] != '{' || utf8[end - 1] != '}') {
            return null;
        }
        if (!oneLine && JsonLines.hasLineBreak(utf8, from, end)) {
            return null;
        }
        return new RawJsonRow(utf8, from, end - from);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * Reads to the end of the object whose START_OBJECT is the current token; false if any object in it, at any
     * depth, repeats a key (a map keeps the last value; raw bytes would send both) or has more than
     * {@link #MAX_KEYS_PER_OBJECT} keys. Jackson's own STRICT_DUPLICATE_DETECTION does the same with a hash set per
     * object, a visible cost on the hot path: a row's objects are small, so a linear scan of the open objects'
     * names (compared by hash first) is cheaper.
     */
    private static boolean hasUniqueKeys(JsonParser p) throws IOException {
        String[] names = new String[16];
        int nameCount = 0;
        int[] frames = new int[8]; // for each open object, where its names start in names; -1 for an open array
        int depth = 0;
        frames[0] = 0;
        while (true) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "unexpected end of input"); // the parser reports this itself
            }
            switch (t) {
                case FIELD_NAME -> {
                    String name = p.currentName();
                    int from = frames[depth];
                    if (nameCount - from >= MAX_KEYS_PER_OBJECT) {
                        return false;
                    }
                    int hash = name.hashCode();
                    for (int i = from; i < nameCount; i++) {
                        String other = names[i];
                        if (other == name || (other.hashCode() == hash && other.equals(name))) {
                            return false;
                        }
                    }
                    if (nameCount == names.length) {
                        names = Arrays.copyOf(names, nameCount * 2);
                    }
                    names[nameCount++] = name;
                }
                case START_OBJECT, START_ARRAY -> {
                    if (++depth == frames.length) {
                        frames = Arrays.copyOf(frames, depth * 2);
                    }
                    frames[depth] = t == JsonToken.START_OBJECT ? nameCount : -1;
                }
                case END_OBJECT, END_ARRAY -> {
                    if (depth == 0) {
                        return true; // the row's own object is closed
                    }
                    if (frames[depth] >= 0) {
                        nameCount = frames[depth]; // the closed object's names are out of scope
                    }
                    depth--;
                }
                default -> {
                    // a scalar value: tokenising it was the check
                }
            }
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
            return JsonRowReader.read(utf8, from, length);
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
