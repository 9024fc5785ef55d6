package io.snowpiperelay.types;

/** Builds mappers from {@code CREATE TABLE} text, the way a table's default pipe maps rows. */
final class RowTestSupport {
    private RowTestSupport() {
    }

    /** A mapper for the default pipe (case-insensitive keys) of the table {@code createTable} defines. */
    static RowMapper mapper(String createTable) {
        return mapper(createTable, MatchByColumnName.CASE_INSENSITIVE);
    }

    /** A mapper for a pipe that matches keys to the columns of {@code createTable} by {@code match}. */
    static RowMapper mapper(String createTable, MatchByColumnName match) {
        return RowMapper.forTable("T", ColumnDefinitions.parse(createTable), match);
    }

    /** A mapper for the default pipe of a one-column table {@code T (C <type>)}. */
    static RowMapper oneColumn(String type) {
        return mapper("CREATE TABLE T (C " + type + ");");
    }

    /** "Type:value" of a mapped value, "null" for SQL NULL, "ERR:message" for a rejected row. */
    static String describe(MappedRow row, int column) {
        if (row instanceof MappedRow.Error e) {
            return "ERR:" + e.message();
        }
        Object v = ((MappedRow.Ok) row).values()[column];
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }
}
