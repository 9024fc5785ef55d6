package io.snowpiperelay.testkit.catalog;

import io.snowpiperelay.types.MatchByColumnName;
import io.snowpiperelay.types.Projection;
import io.snowpiperelay.types.RowMapper;
import java.util.List;
import java.util.Objects;

/**
 * A streaming pipe: {@code CREATE PIPE … AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))}
 * (CREATE-PIPE, §3.2 of {@code snowflake-streaming-types.md}), or a table's default pipe
 * {@code <TABLE>-STREAMING} (§3.1), which Snowflake creates on demand and which matches keys to columns
 * case-insensitively (§2, inferred from the official example). Immutable.
 *
 * <p>Two shapes:
 * <ul>
 *   <li>match by column name: {@link #projections()} is empty and {@link #matchByColumnName()} says how
 *       top-level keys meet column names ({@code NONE} loads the whole row into the first column);</li>
 *   <li>a {@code SELECT} transform: {@link #projections()} holds one {@code $1:path[::TYPE]} per target
 *       column in {@link #targetColumns()} and {@code matchByColumnName} is {@code NONE}.</li>
 * </ul>
 *
 * @param database          the pipe's database
 * @param schema            the pipe's schema
 * @param name              the pipe's name
 * @param table             the target table's name
 * @param tableDatabase     the target table's database
 * @param tableSchema       the target table's schema
 * @param matchByColumnName how keys meet columns when there is no SELECT transform
 * @param targetColumns     with a transform: the column filled by each projection, in order; else empty
 * @param projections       with a transform: the projections in SELECT order; else empty
 * @param defaultPipe       true for the Snowflake-managed {@code <TABLE>-STREAMING} pipe
 */
public record PipeDef(String database, String schema, String name, String table,
                      String tableDatabase, String tableSchema,
                      MatchByColumnName matchByColumnName, List<String> targetColumns,
                      List<Projection> projections, boolean defaultPipe) {

    /** Suffix of the default pipe's name (HP-PIPE): {@code MY_TABLE-STREAMING}. */
    public static final String DEFAULT_PIPE_SUFFIX = "-STREAMING";

    public PipeDef {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(tableDatabase, "tableDatabase");
        Objects.requireNonNull(tableSchema, "tableSchema");
        Objects.requireNonNull(matchByColumnName, "matchByColumnName");
        targetColumns = List.copyOf(targetColumns);
        projections = List.copyOf(projections);
        if (targetColumns.size() != projections.size()) {
            throw new IllegalArgumentException("pipe " + name + ": " + projections.size() + " projections for "
                    + targetColumns.size() + " target columns");
        }
    }

    /** The default pipe of {@code table}: {@code <TABLE>-STREAMING}, case-insensitive column matching. */
    public static PipeDef defaultFor(TableDef table) {
        return new PipeDef(table.database(), table.schema(), table.name() + DEFAULT_PIPE_SUFFIX, table.name(),
                table.database(), table.schema(), MatchByColumnName.CASE_INSENSITIVE, List.of(), List.of(), true);
    }

    /** True when the pipe has a {@code SELECT} transform. */
    public boolean hasTransform() {
        return !projections.isEmpty();
    }

    /**
     * The mapper that turns this pipe's rows into rows of {@code table}, its target table as currently defined
     * (build a new one when the table is replaced).
     *
     * @throws IllegalArgumentException when the pipe names a column the table does not have
     */
    public RowMapper rowMapper(TableDef table) {
        Objects.requireNonNull(table, "table");
        return hasTransform()
                ? RowMapper.forTransform(table.qualifiedName(), table.columns(), targetColumns, projections)
                : RowMapper.forTable(table.qualifiedName(), table.columns(), matchByColumnName);
    }
}
