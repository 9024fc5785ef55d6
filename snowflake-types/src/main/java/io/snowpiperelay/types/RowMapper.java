package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one NDJSON row into the values of one table row, or into the error Snowflake would report for it,
 * following §6 of {@code snowflake-streaming-types.md}:
 * <ol>
 *   <li>the line must be one RFC 8259 JSON object (else "Error parsing JSON", no column);</li>
 *   <li>keys meet columns by the pipe's rule: the default pipe case-insensitively, a custom pipe per its
 *       {@code MATCH_BY_COLUMN_NAME}, a SELECT transform by its {@code $1:path} projections (element names
 *       case-sensitive); extra keys are ignored, a missing key is NULL (§2; DEFAULTs are not modelled);
 *       a key given twice keeps its last value;</li>
 *   <li>each value is cast to its column type as a VARIANT member (see the converters' javadoc);</li>
 *   <li>NULL in a NOT NULL column → "NULL result in a non-nullable column".</li>
 * </ol>
 *
 * <p>Thread-safe: one instance per (pipe, table) serves every channel (its only shared state, a cache of
 * resolved keys, holds immutable entries). This is the emulator's hot path: plain flat rows, what the SDK
 * sends, take a byte-level fast path ({@code mapFlat}); every other row streams over the bytes with Jackson's
 * {@link JsonParser} (no tree), which defines the results the fast path must reproduce.
 */
public final class RowMapper {

    private static final System.Logger log = System.getLogger(RowMapper.class.getName());

    /** Shared parser factory: exact location offsets without source snippets (values must not leak into messages). */
    static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // VARCHAR and VARIANT values may reach 128 MB (DT-TEXT, DT-SEMI, 2025_03 bundle).
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(ColumnType.MAX_VARCHAR_LENGTH).build())
            .build();
    /** For nested projection paths only: reads one top-level field's subtree, decimals kept exact. */
    private static final ObjectMapper TREE = new ObjectMapper(JSON)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Bound on the cache of resolved keys, so rows with random keys cannot grow it without limit. */
    private static final int MAX_CACHED_KEYS = 4096;
    private static final int UNKNOWN = -1;

    private enum Mode { MATCH, WHOLE_ROW, TRANSFORM }

    private final String tableName;
    /** Built by {@link #forCheck}: values may be {@link ValueConverter#CHECKED} instead of being made. */
    private final boolean checkOnly;
    private final Mode mode;
    private final Column[] columns;
    private final ValueConverter[] converters;
    /** MATCH: exact column name → index. */
    private final Map<String, Integer> exactNames;
    /** MATCH case-insensitive: upper-cased column name → index (first column wins on a clash). */
    private final Map<String, Integer> upperNames;
    /** MATCH case-insensitive: key as sent → index or UNKNOWN; saves the upper-casing per row. */
    private final ConcurrentHashMap<String, Integer> resolvedKeys = new ConcurrentHashMap<>();
    private final boolean caseInsensitive;
    /** TRANSFORM: top-level field → projections reading it; a whole-row projection is under the key null. */
    private final Map<String, int[]> projectionsByField;
    private final int[] wholeRowProjections;
    private final Projection[] projections;
    /** TRANSFORM: column index filled by each projection. */
    private final int[] projectionTarget;
    /** TRANSFORM: converter of each projection's cast, or null. */
    private final ValueConverter[] castConverters;

    private RowMapper(String tableName, List<Column> columnList, MatchByColumnName match,
                      List<String> targetColumns, List<Projection> projectionList, boolean checkOnly) {
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.checkOnly = checkOnly;
        this.columns = columnList.toArray(new Column[0]);
        if (columns.length == 0) {
            throw new IllegalArgumentException("table " + tableName + " has no columns");
        }
        this.converters = new ValueConverter[columns.length];
        for (int i = 0; i < columns.length; i++) {
            converters[i] = ValueConverter.forType(columns[i].type());
        }
        this.caseInsensitive = match == MatchByColumnName.CASE_INSENSITIVE;
        this.exactNames = new HashMap<>();
        this.upperNames = new HashMap<>();
        for (int i = 0; i < columns.length; i++) {
            exactNames.putIfAbsent(columns[i].name(), i);
            upperNames.putIfAbsent(columns[i].name().toUpperCase(Locale.ROOT), i);
        }
        if (!projectionList.isEmpty()) {
            mode = Mode.TRANSFORM;
            projections = projectionList.toArray(new Projection[0]);
            projectionTarget = new int[projections.length];
            castConverters = new ValueConverter[projections.length];
            Map<String, List<Integer>> byField = new HashMap<>();
            List<Integer> whole = new ArrayList<>();
            for (int i = 0; i < projections.length; i++) {
                int target = columnIndex(targetColumns.get(i));
                if (target < 0) {
                    throw new IllegalArgumentException("column " + targetColumns.get(i) + " is not in table " + tableName);
                }
                projectionTarget[i] = target;
                Projection pr = projections[i];
                if (pr.cast() != null && !pr.cast().equals(columns[target].type())) {
                    castConverters[i] = ValueConverter.forType(pr.cast());
                }
                if (pr.path().isEmpty() || pr.path().get(0).field() == null) {
                    whole.add(i);
                } else {
                    byField.computeIfAbsent(pr.path().get(0).field(), k -> new ArrayList<>()).add(i);
                }
            }
            projectionsByField = new HashMap<>();
            byField.forEach((k, v) -> projectionsByField.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            wholeRowProjections = whole.stream().mapToInt(Integer::intValue).toArray();
        } else {
            mode = match == MatchByColumnName.NONE ? Mode.WHOLE_ROW : Mode.MATCH;
            projections = null;
            projectionTarget = null;
            castConverters = null;
            projectionsByField = Map.of();
            wholeRowProjections = new int[0];
        }
    }

    private int columnIndex(String columnName) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A mapper for rows whose top-level keys meet {@code columns} by {@code match} (a table's default pipe, or a
     * pipe without a transform); with {@link MatchByColumnName#NONE} the whole row goes into the first column.
     *
     * @param tableName the table's name, for messages only
     * @param columns   the table's columns in order (at least one)
     */
    public static RowMapper forTable(String tableName, List<Column> columns, MatchByColumnName match) {
        Objects.requireNonNull(match, "match");
        return new RowMapper(tableName, List.copyOf(columns), match, List.of(), List.of(), false);
    }

    /**
     * A mapper like {@link #forTable} whose answers only say whether a row is accepted and, if not, why (exactly as
     * {@link #forTable}'s would): the values of an {@link MappedRow.Ok} may be placeholders, not the converted
     * values. It skips making strings and container text on the fast path, for {@link RowChecker}.
     */
    static RowMapper forCheck(String tableName, List<Column> columns, MatchByColumnName match) {
        Objects.requireNonNull(match, "match");
        return new RowMapper(tableName, List.copyOf(columns), match, List.of(), List.of(), true);
    }

    /**
     * A mapper for a pipe with a SELECT transform: projection {@code i} fills column {@code targetColumns[i]}.
     *
     * @throws IllegalArgumentException when a target column is not among {@code columns}, or the lists differ in size
     */
    public static RowMapper forTransform(String tableName, List<Column> columns, List<String> targetColumns,
                                         List<Projection> projections) {
        if (targetColumns.size() != projections.size() || projections.isEmpty()) {
            throw new IllegalArgumentException("table " + tableName + ": " + projections.size() + " projections for "
                    + targetColumns.size() + " target columns");
        }
        return new RowMapper(tableName, List.copyOf(columns), MatchByColumnName.NONE, List.copyOf(targetColumns),
                List.copyOf(projections), false);
    }

    /** The table's name as given, for messages. */
    public String tableName() {
        return tableName;
    }

    /** The columns this mapper fills, in order. */
    public List<Column> columns() {
        return List.of(columns);
    }

    /**
     * Maps one NDJSON line (UTF-8, without its trailing newline; a trailing {@code \r} is tolerated as
     * whitespace).
     *
     * @return {@link MappedRow.Ok} with one value per column, or {@link MappedRow.Error}; never throws
     *         for bad input
     */
    public MappedRow map(byte[] buf, int offset, int length) {
        if (mode == Mode.MATCH) {
            MappedRow fast;
            try {
                fast = mapFlat(buf, offset, offset + length);
            } catch (RuntimeException e) {
                fast = null;  // the general path reports it
            }
            if (fast != null) {
                return fast;
            }
        }
        return mapGeneral(buf, offset, length);
    }

    /** The general path: Jackson's streaming parser over the line, any JSON, every pipe mode. */
    MappedRow mapGeneral(byte[] buf, int offset, int length) {
        Object[] values = new Object[columns.length];
        int current = -1;
        try (JsonParser p = JSON.createParser(buf, offset, length)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (t != null && (t == JsonToken.START_ARRAY)) {
                    p.skipChildren();
                }
                return new MappedRow.Error(null, RejectionRule.INVALID_JSON, t == null
                        ? "Error parsing JSON: the row is empty"
                        : "Error parsing JSON: the row is not a JSON object");
            }
            switch (mode) {
                case MATCH -> {
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        int column = columnFor(p.currentName());
                        t = p.nextToken();
                        if (column == UNKNOWN) {
                            p.skipChildren();  // extra keys are not loaded (COPY, §2)
                        } else {
                            current = column;
                            values[column] = converters[column].convert(p, t, buf, offset);
                            current = -1;
                        }
                    }
                }
                case WHOLE_ROW -> {
                    // MATCH_BY_COLUMN_NAME = NONE without a transform: $1, the whole object, goes to the first column.
                    current = 0;
                    values[0] = converters[0].convert(p, t, buf, offset);
                    current = -1;
                    t = p.currentToken();  // the converter left the parser on the row's closing brace
                }
                case TRANSFORM -> {
                    if (wholeRowProjections.length > 0) {
                        // Rare: $1 or $1[0] in a SELECT; re-read the row as a tree for these projections.
                        JsonNode row = TREE.readTree(buf, offset, length);
                        for (int i : wholeRowProjections) {
                            current = projectionTarget[i];
                            values[current] = project(i, navigate(row, projections[i].path(), 0));
                        }
                        current = -1;
                    }
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        int[] readers = projectionsByField.get(p.currentName());
                        t = p.nextToken();
                        if (readers == null) {
                            p.skipChildren();
                        } else if (readers.length == 1 && projections[readers[0]].path().size() == 1) {
                            int i = readers[0];
                            current = projectionTarget[i];
                            values[current] = projectStreaming(i, p, t, buf, offset);
                            current = -1;
                        } else {
                            JsonNode value = TREE.readTree(p);
                            for (int i : readers) {
                                current = projectionTarget[i];
                                values[current] = project(i, navigate(value, projections[i].path(), 1));
                            }
                            current = -1;
                        }
                    }
                }
                default -> throw new IllegalStateException(mode.name());
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return new MappedRow.Error(null, RejectionRule.INVALID_JSON, "Error parsing JSON: more than one JSON value in the row");
            }
        } catch (RowRejected e) {
            Column c = columns[current];
            return new MappedRow.Error(c.name(), e.rule, e.getMessage() + describe(c));
        } catch (StreamConstraintsException e) {
            return new MappedRow.Error(current >= 0 ? columns[current].name() : null,
                    current >= 0 ? RejectionRule.TOO_LONG : RejectionRule.INVALID_JSON,
                    "Error parsing JSON: a value exceeds the parser's limits (" + e.getOriginalMessage() + ")");
        } catch (JsonParseException e) {
            return new MappedRow.Error(null, RejectionRule.INVALID_JSON, parseError(e));
        } catch (IOException e) {
            return new MappedRow.Error(null, RejectionRule.INVALID_JSON, "Error parsing JSON: " + e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            // A bug here must cost one row, not the whole request; the message makes it visible in the status.
            log.log(System.Logger.Level.WARNING, "row mapper - {0}: unexpected {1} while converting a row", tableName, e.toString());
            return new MappedRow.Error(current >= 0 ? columns[current].name() : null, RejectionRule.INTERNAL,
                    "Internal emulator error while converting the row: " + e.getClass().getSimpleName());
        }
        return checked(values);
    }

    /** NOT NULL: the first non-nullable column without a value rejects the row. */
    private MappedRow checked(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null && !columns[i].nullable()) {
                return new MappedRow.Error(columns[i].name(), RejectionRule.NOT_NULL, "NULL result in a non-nullable column" + describe(columns[i]));
            }
        }
        return new MappedRow.Ok(values);
    }

    // ---------------------------------------------------------------- fast path

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /** Unaligned little-endian 8-byte reads for the scanner's word-at-a-time loops. */
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    /** Longer decimals take the general path. */
    private static final int MAX_FAST_DECIMAL = 64;
    /** Longer keys take the general path (Jackson limits names to 50,000 bytes). */
    private static final int MAX_FAST_KEY = 1024;

    /** A resolved key: the key's bytes as sent and its column (or UNKNOWN). Immutable, so racy sharing is safe. */
    private record KeySlot(byte[] key, int column) {
    }

    /** MATCH: the key last seen at each position of a row; rows of one stream repeat their key order. */
    private final KeySlot[] keySlots = new KeySlot[64];

    /**
     * The fast path for what nearly every row is (MATCH pipes only): one flat JSON object whose keys are ASCII
     * without escapes and whose values are ASCII strings without escapes, integers of at most 18 digits,
     * decimals without exponent, {@code true}, {@code false}, {@code null}, or plain nested objects and arrays
     * ({@link PlainContainer}). It reads the bytes directly (no parser object, keys
     * matched against the previous row's keys by bytes) and gives exactly the general path's result; on
     * anything else (escapes, non-ASCII bytes, exponents, invalid JSON, a converter
     * without a fast path) it returns null and the general path handles the whole row.
     *
     * <p>After a value is rejected the scan goes on without converting: the row's answer is that rejection if the
     * rest is plain (as the general path, which stops at the rejection, would say too), else the general path's.
     */
    private MappedRow mapFlat(byte[] b, int pos, int end) {
        Object[] values = new Object[columns.length];
        RowRejected rejected = null;
        int rejectedColumn = -1;
        pos = PlainContainer.skipWs(b, pos, end);
        if (pos >= end || b[pos] != '{') {
            return null;
        }
        pos = PlainContainer.skipWs(b, pos + 1, end);
        if (pos >= end) {
            return null;
        }
        if (b[pos] == '}') {
            pos++;
        } else {
            int ordinal = 0;
            while (true) {
                if (b[pos] != '"') {
                    return null;
                }
                int keyStart = ++pos;
                int column;
                KeySlot slot = ordinal < keySlots.length ? keySlots[ordinal] : null;
                if (slot != null && sameKey(b, pos, end, slot.key)) {
                    // the key of the previous row at this position (valid when it was stored)
                    pos += slot.key.length + 1;
                    column = slot.column;
                } else {
                    pos = plainStringEnd(b, pos, end);
                    if (pos < 0 || pos - keyStart > MAX_FAST_KEY) {
                        return null;
                    }
                    column = columnFor(b, keyStart, pos, ordinal);
                    pos++;
                }
                pos = PlainContainer.skipWs(b, pos, end);
                if (pos >= end || b[pos] != ':') {
                    return null;
                }
                pos = PlainContainer.skipWs(b, pos + 1, end);
                if (pos >= end) {
                    return null;
                }
                if (rejected != null) {
                    column = UNKNOWN;
                }
                ordinal++;
                ValueConverter conv = column == UNKNOWN ? null : converters[column];
                Object v = null;
                byte c = b[pos];
                try {
                    if (c == '"') {
                        int from = ++pos;
                        pos = plainStringEnd(b, pos, end);
                        if (pos < 0 || pos - from > ColumnType.MAX_VARCHAR_LENGTH) {
                            return null;
                        }
                        int to = pos++;
                        if (conv != null) {
                            v = checkOnly ? conv.checkAsciiString(b, from, to) : conv.fastAsciiString(b, from, to);
                        }
                    } else if (c == '-' || (c >= '0' && c <= '9')) {
                        int from = pos;
                        if (c == '-' && ++pos >= end) {
                            return null;
                        }
                        int digitsFrom = pos;
                        long n = 0;
                        byte d = b[pos];
                        if (d == '0') {
                            pos++;
                        } else if (d >= '1' && d <= '9') {
                            while (pos < end && (d = b[pos]) >= '0' && d <= '9') {
                                n = n * 10 + (d - '0');
                                pos++;
                            }
                        } else {
                            return null;
                        }
                        boolean fraction = pos < end && b[pos] == '.';
                        if (fraction) {
                            int fractionFrom = ++pos;
                            while (pos < end && (d = b[pos]) >= '0' && d <= '9') {
                                pos++;
                            }
                            if (pos == fractionFrom || pos - from > MAX_FAST_DECIMAL) {
                                return null;
                            }
                        } else if (pos - digitsFrom > 18) {
                            return null;
                        }
                        // an exponent, a leading zero or junk: the general path decides
                        if (pos < end && !endsValue(b[pos])) {
                            return null;
                        }
                        if (conv != null) {
                            v = fraction ? conv.fastDecimal(new String(b, from, pos - from, StandardCharsets.ISO_8859_1))
                                    : conv.fastInt(c == '-' ? -n : n, b, from, pos);
                        }
                    } else if (c == 't' && literal(b, pos, end, TRUE)) {
                        pos += TRUE.length;
                        if (conv != null) {
                            v = conv.fastBoolean(true);
                        }
                    } else if (c == 'f' && literal(b, pos, end, FALSE)) {
                        pos += FALSE.length;
                        if (conv != null) {
                            v = conv.fastBoolean(false);
                        }
                    } else if (c == 'n' && literal(b, pos, end, NULL)) {
                        pos += NULL.length;
                        if (conv != null) {
                            v = conv.fastNull();
                        }
                    } else if (c == '{' || c == '[') {
                        // a nested value (VARIANT/OBJECT/ARRAY columns): validated and minified without a parser
                        long scanned = PlainContainer.scan(b, pos, end);
                        if (scanned < 0) {
                            return null;
                        }
                        int from = pos;
                        pos = (int) (scanned >>> 1);
                        if (conv != null) {
                            v = checkOnly ? conv.checkContainer(b, from, scanned, c == '{')
                                    : conv.fastContainer(PlainContainer.text(b, from, scanned), c == '{');
                        }
                    } else {
                        return null;
                    }
                } catch (RowRejected e) {
                    rejected = e;
                    rejectedColumn = column;
                    v = null;
                }
                if (v == ValueConverter.FALLBACK) {
                    return null;
                }
                if (conv != null && rejected == null) {
                    values[column] = v;
                }
                pos = PlainContainer.skipWs(b, pos, end);
                if (pos >= end) {
                    return null;
                }
                c = b[pos++];
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    return null;
                }
                pos = PlainContainer.skipWs(b, pos, end);
                if (pos >= end) {
                    return null;
                }
            }
        }
        if (PlainContainer.skipWs(b, pos, end) != end) {
            return null;
        }
        if (rejected != null) {
            Column col = columns[rejectedColumn];
            return new MappedRow.Error(col.name(), rejected.rule, rejected.getMessage() + describe(col));
        }
        return checked(values);
    }

    /** For tests: the fast path's answer, or null when it leaves the row to the general path. */
    MappedRow mapFlatForTest(byte[] buf, int offset, int length) {
        return mapFlat(buf, offset, offset + length);
    }

    /** Position of the closing quote of a string of printable ASCII without escapes, or -1 for anything else. */
    static int plainStringEnd(byte[] b, int pos, int end) {
        // 8 bytes at a time while none of them is '"', '\\', below 0x20 or above 0x7F; the loop below decides
        while (pos + 8 <= end) {
            long x = (long) LONGS.get(b, pos);
            long quote = x ^ QUOTES;
            long backslash = x ^ BACKSLASHES;
            long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | (x - SPACES) | x;
            if ((special & HIGH_BITS) != 0) {
                break;
            }
            pos += 8;
        }
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                return pos;
            }
            if (c < 0x20 || c == '\\') {  // control characters, escapes and (negative) non-ASCII bytes
                return -1;
            }
            pos++;
        }
        return -1;
    }

    /** What may follow a scalar inside an object. */
    private static boolean endsValue(byte c) {
        return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** {@code word} at {@code pos}, followed by the end of the value. */
    private static boolean literal(byte[] b, int pos, int end, byte[] word) {
        if (end - pos <= word.length) {
            return false;  // at least a '}' must follow
        }
        for (int i = 0; i < word.length; i++) {
            if (b[pos + i] != word[i]) {
                return false;
            }
        }
        return endsValue(b[pos + word.length]);
    }

    /** Whether {@code b[pos...]} is {@code key} followed by the closing quote (compared 8 bytes at a time). */
    private static boolean sameKey(byte[] b, int pos, int end, byte[] key) {
        int n = key.length;
        if (end - pos <= n || b[pos + n] != '"') {
            return false;
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) LONGS.get(b, pos + i) != (long) LONGS.get(key, i)) {
                return false;
            }
        }
        if (i < n && n >= 8) {
            return (long) LONGS.get(b, pos + n - 8) == (long) LONGS.get(key, n - 8);
        }
        for (; i < n; i++) {
            if (b[pos + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@link #columnFor(String)} for a key given as plain ASCII bytes; remembered for its position in the row. */
    private int columnFor(byte[] b, int from, int to, int ordinal) {
        int column = columnFor(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        if (ordinal < keySlots.length) {
            keySlots[ordinal] = new KeySlot(java.util.Arrays.copyOfRange(b, from, to), column);
        }
        return column;
    }

    /** Convenience for tests and tools: maps a line given as a string. */
    public MappedRow map(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return map(bytes, 0, bytes.length);
    }

    /** The column a top-level key meets under this mapper's rule, or -1. */
    int columnFor(String key) {
        Integer exact = exactNames.get(key);
        if (exact != null) {
            return exact;
        }
        if (!caseInsensitive) {
            return UNKNOWN;
        }
        Integer cached = resolvedKeys.get(key);
        if (cached != null) {
            return cached;
        }
        Integer found = upperNames.get(key.toUpperCase(Locale.ROOT));
        int column = found == null ? UNKNOWN : found;
        if (resolvedKeys.size() < MAX_CACHED_KEYS) {
            resolvedKeys.put(key, column);
        }
        return column;
    }

    /** A projection whose value is the current top-level field's value: convert straight from the stream. */
    private Object projectStreaming(int i, JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        ValueConverter cast = castConverters[i];
        if (cast == null) {
            return converters[projectionTarget[i]].convert(p, t, buf, base);
        }
        return recast(i, cast.convert(p, t, buf, base));
    }

    /** A projection evaluated on a tree value (nested path); a missing element is NULL (GET semantics). */
    private Object project(int i, JsonNode value) throws IOException, RowRejected {
        if (value == null || value.isMissingNode()) {
            return null;
        }
        String json = value.toString();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            ValueConverter cast = castConverters[i];
            if (cast == null) {
                return converters[projectionTarget[i]].convert(p, t, bytes, 0);
            }
            return recast(i, cast.convert(p, t, bytes, 0));
        }
    }

    /**
     * {@code $1:x::T} into a column of another type U: the value was cast to T; cast that result to U as
     * Snowflake's assignment would, by re-reading it as a VARIANT of T's natural JSON form.
     */
    private Object recast(int i, Object castValue) throws IOException, RowRejected {
        if (castValue == null) {
            return null;
        }
        ColumnType castType = projections[i].cast();
        String json = switch (castType.kind()) {
            case VARIANT, OBJECT, ARRAY -> (String) castValue;
            case BOOLEAN -> ((Integer) castValue) != 0 ? "true" : "false";
            // The cast produced hex text; a BINARY column reads Base64 (§1.9).
            case BINARY -> RawJson.quote(java.util.Base64.getEncoder().encodeToString(
                    java.util.HexFormat.of().parseHex((String) castValue)));
            case NUMBER -> castValue.toString();
            case FLOAT -> {
                double d = (Double) castValue;
                yield Double.isNaN(d) || Double.isInfinite(d) ? RawJson.quote(Double.toString(d)) : Double.toString(d);
            }
            default -> RawJson.quote(castValue.toString());
        };
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = JSON.createParser(bytes)) {
            return converters[projectionTarget[i]].convert(p, p.nextToken(), bytes, 0);
        }
    }

    private static JsonNode navigate(JsonNode node, List<PathStep> path, int from) {
        for (int s = from; s < path.size() && node != null; s++) {
            PathStep step = path.get(s);
            if (step.field() != null) {
                node = node.isObject() ? node.get(step.field()) : null;
            } else {
                node = node.isArray() ? node.get(step.index()) : null;
            }
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    private static String describe(Column c) {
        return " (column \"" + c.name() + "\" of type " + c.type().sql() + ")";
    }

    /** Jackson's message names the offending text; keep only what kind of problem it was and where. */
    private static String parseError(JsonParseException e) {
        String original = String.valueOf(e.getOriginalMessage());
        long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        String where = at >= 0 ? " at byte " + at : "";
        if (original.contains("UTF-8") || original.contains("UTF8")) {
            return "Error parsing JSON: invalid UTF-8" + where;
        }
        if (original.startsWith("Unexpected end-of-input")) {
            return "Error parsing JSON: incomplete JSON value" + where;
        }
        return "Error parsing JSON: invalid JSON" + where;
    }
}
