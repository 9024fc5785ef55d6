package io.snowpiperelay.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Says whether Snowflake would take one JSON row into a table, before it is sent, with the same rules the emulator
 * applies ({@code snowflake-streaming-types.md}): keys meet columns case-insensitively as through a table's default
 * pipe (or by the given {@link MatchByColumnName}), extra keys are ignored, each value must convert to its column's
 * type, and a NOT NULL column needs a value.
 *
 * <p>The reason of a rejection names the table, the column, the rule and the type, and describes the value only by
 * its kind and size, never by its content: rows may hold personal data, and reasons are stored and may be shown
 * where the rows themselves are not. For example
 * {@code LIFT_RIDE.ACTIVATION_DAY_COUNT: a string of 3 characters is not a number (NUMBER(38,0))}.
 *
 * <p>Thread-safe: one instance per table can serve every channel. Checking a good row allocates what the
 * conversion does (the converted values, then dropped); describing a rejection parses the row once more, which
 * only rejected rows pay.
 */
public final class RowChecker {
    private static final ObjectMapper TREE = new ObjectMapper(RowMapper.JSON);

    private final String tableName;
    private final RowMapper mapper;

    private RowChecker(String tableName, RowMapper mapper) {
        this.tableName = tableName;
        this.mapper = mapper;
    }

    /**
     * A checker for rows sent through the default pipe of the table {@code tableName} with {@code columns}.
     *
     * @param tableName the table's name as reasons should show it, e.g. {@code LIFT_RIDE}
     * @param columns   the table's columns (at least one), e.g. from {@link ColumnDefinitions#parse}
     * @throws IllegalArgumentException when {@code columns} is empty
     */
    public static RowChecker of(String tableName, List<Column> columns) {
        return of(tableName, columns, MatchByColumnName.CASE_INSENSITIVE);
    }

    /**
     * A checker for rows sent through a pipe without a transform that matches keys to columns by {@code match}.
     *
     * @throws IllegalArgumentException when {@code columns} is empty or {@code match} is {@code NONE}
     */
    public static RowChecker of(String tableName, List<Column> columns, MatchByColumnName match) {
        Objects.requireNonNull(tableName, "tableName");
        if (match == MatchByColumnName.NONE) {
            throw new IllegalArgumentException("match NONE loads the whole row into one column; check rows with "
                    + "CASE_SENSITIVE or CASE_INSENSITIVE");
        }
        return new RowChecker(tableName, RowMapper.forCheck(tableName, columns, match));
    }

    /** The table's name, as reasons show it. */
    public String tableName() {
        return tableName;
    }

    /** The columns rows are checked against, in order. */
    public List<Column> columns() {
        return mapper.columns();
    }

    /**
     * Checks the JSON row in {@code utf8[offset, offset + length)}.
     *
     * @return empty when Snowflake would take the row, else why not
     */
    public Optional<RowRejection> check(byte[] utf8, int offset, int length) {
        MappedRow mapped = mapper.map(utf8, offset, length);
        if (mapped instanceof MappedRow.Error error) {
            return Optional.of(rejection(error, utf8, offset, length));
        }
        return Optional.empty();
    }

    /** Checks the JSON row {@code json}; see {@link #check(byte[], int, int)}. */
    public Optional<RowRejection> check(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return check(utf8, 0, utf8.length);
    }

    private RowRejection rejection(MappedRow.Error error, byte[] utf8, int offset, int length) {
        if (error.column() == null) {
            // The mapper's row-level messages name the kind of problem and a byte position, never the text.
            return new RowRejection(null, error.rule(), tableName + ": " + error.message());
        }
        Column column = column(error.column());
        String type = column == null ? "" : column.type().sql();
        String value = describeValue(error.column(), utf8, offset, length);
        String rule = switch (error.rule()) {
            case NOT_A_NUMBER -> value + " is not a number (" + type + ")";
            case OUT_OF_RANGE -> value + " is out of range for " + type + outOfRangeDetail(column);
            case TOO_LONG -> value + " is longer than " + type + " allows";
            case NOT_A_DATE_OR_TIME -> value + " is not a " + kindName(column) + " Snowflake recognises (" + type + ")";
            case NOT_A_BOOLEAN -> value + " is not a boolean (" + type + ")";
            case NOT_BASE64 -> value + " is not Base64 (" + type + ")";
            case WRONG_TYPE -> value + " cannot be cast to " + type;
            case NOT_NULL -> value + ", but the column is NOT NULL (" + type + ")";
            case INVALID_JSON -> value + " is not valid JSON (" + type + ")";
            case INTERNAL -> value + " could not be converted to " + type + " (an internal error)";
        };
        return new RowRejection(error.column(), error.rule(), tableName + "." + error.column() + ": " + rule);
    }

    private Column column(String name) {
        for (Column c : mapper.columns()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String outOfRangeDetail(Column column) {
        if (column == null || column.type().kind() != ColumnType.Kind.NUMBER) {
            return "";
        }
        int integerDigits = column.type().precision() - column.type().scale();
        return " (at most " + integerDigits + " digit" + (integerDigits == 1 ? "" : "s") + " before the point)";
    }

    private static String kindName(Column column) {
        if (column == null) {
            return "date or time";
        }
        return switch (column.type().kind()) {
            case DATE -> "date";
            case TIME -> "time";
            default -> "timestamp";
        };
    }

    /**
     * The offending value by kind and size ("a string of 300 characters", "a number", "an object", "missing"),
     * found again under the mapper's key rule (the last of repeated keys wins, as in the mapper).
     */
    private String describeValue(String columnName, byte[] utf8, int offset, int length) {
        JsonNode found = null;
        try {
            JsonNode row = TREE.readTree(utf8, offset, length);
            if (row != null && row.isObject()) {
                int wanted = -1;
                List<Column> columns = mapper.columns();
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).name().equals(columnName)) {
                        wanted = i;
                    }
                }
                for (Map.Entry<String, JsonNode> field : row.properties()) {
                    if (mapper.columnFor(field.getKey()) == wanted) {
                        found = field.getValue();
                    }
                }
            }
        } catch (IOException e) {
            return "the value";
        }
        if (found == null) {
            return "missing";
        }
        return switch (found.getNodeType()) {
            case STRING -> {
                String s = found.textValue();
                int characters = s.codePointCount(0, s.length());
                yield "a string of " + characters + " character" + (characters == 1 ? "" : "s");
            }
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> "the value";
        };
    }
}
