package io.snowpiperelay.testkit.catalog;

import io.snowpiperelay.testkit.catalog.SqlLexer.Token;
import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.MatchByColumnName;
import io.snowpiperelay.types.PathStep;
import io.snowpiperelay.types.Projection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive-descent parser for the statements the catalog models, exactly the list in {@code docs/emulator.md}
 * ("SQL subset"); everything else becomes {@link Statement.Skipped} with a reason that names the statement (the
 * catalog logs it). One instance parses one statement. Names are resolved against the {@link Context} (current
 * database and schema, existing tables) as Snowflake would when it runs the statement.
 *
 * <p>Hand-written because no general SQL parser reads Snowflake's streaming DDL: JSqlParser 5.3 fails on
 * {@code CREATE PIPE … AS COPY INTO …}, {@code USE DATABASE}, {@code DROP DATABASE|USER} and qualified
 * {@code CREATE SCHEMA d.s}, and returns no structure for {@code CREATE DATABASE|USER} and {@code ALTER USER}
 * (see {@code docs/emulator.md}).
 */
final class SqlParser extends TokenCursor {

    /** What the parser needs from the catalog at the time the statement runs. */
    interface Context {
        String currentDatabase();

        String currentSchema();

        Optional<TableDef> existingTable(String database, String schema, String name);
    }

    private static final Set<String> UNSUPPORTED_TYPES = Set.of("GEOGRAPHY", "GEOMETRY", "VECTOR", "MAP", "FILE");

    private final Context context;

    private SqlParser(SqlLexer.StatementTokens statement, Context context) {
        super(statement);
        this.context = context;
    }

    /** Parses one statement; throws {@link SqlException} on a syntax error in a supported statement. */
    static Statement parse(SqlLexer.StatementTokens statement, Context context) {
        return new SqlParser(statement, context).statement();
    }

    // ---------------------------------------------------------------- dispatch

    private Statement statement() {
        Token first = tokens.get(0);
        if (first.isWord("CREATE")) {
            return create();
        }
        if (first.isWord("ALTER") && is(1, "USER")) {
            return alterUser();
        }
        if (first.isWord("USE")) {
            return use();
        }
        if (first.isWord("DROP")) {
            return drop();
        }
        return skipped(first.kind() == SqlLexer.Kind.WORD
                ? first.text().toUpperCase(Locale.ROOT) + " statements are not modelled by the emulator"
                : "not a statement the emulator models");
    }

    private Statement create() {
        pos = 1;
        boolean orReplace = false;
        if (acceptWord("OR")) {
            if (acceptWord("REPLACE")) {
                orReplace = true;
            } else {
                return skipped("CREATE OR ALTER is not modelled by the emulator");
            }
        }
        // Table kinds that behave like a table for ingestion; the rest (DYNAMIC, EXTERNAL, HYBRID, …) are skipped.
        while (peekWord("TRANSIENT", "TEMPORARY", "TEMP", "LOCAL", "GLOBAL", "VOLATILE")) {
            pos++;
        }
        if (acceptWord("DATABASE")) {
            return createDatabase(orReplace);
        }
        if (acceptWord("SCHEMA")) {
            return createSchema(orReplace);
        }
        if (acceptWord("TABLE")) {
            return createTable(orReplace);
        }
        if (acceptWord("PIPE")) {
            return createPipe(orReplace);
        }
        if (acceptWord("USER")) {
            return createUser(orReplace);
        }
        Token kind = pos < tokens.size() ? tokens.get(pos) : null;
        String what = kind == null ? "" : kind.text().toUpperCase(Locale.ROOT) + (is(pos + 1, "TABLE") ? " TABLE" : "");
        return skipped("CREATE " + what + " is not modelled by the emulator");
    }

    // ---------------------------------------------------------------- DATABASE / SCHEMA / USE / DROP

    private Statement createDatabase(boolean orReplace) {
        boolean ifNotExists = ifNotExists();
        String name = identifier("database name");
        // Parameters (DATA_RETENTION_TIME_IN_DAYS=…, USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS=…, COMMENT=…) are ignored.
        return new Statement.CreateDatabase(name, orReplace, ifNotExists);
    }

    private Statement createSchema(boolean orReplace) {
        boolean ifNotExists = ifNotExists();
        List<String> parts = qualifiedName("schema name", 2);
        String database = parts.size() == 2 ? parts.get(0) : requireCurrentDatabase();
        return new Statement.CreateSchema(database, parts.get(parts.size() - 1), orReplace, ifNotExists);
    }

    private Statement use() {
        pos = 1;
        if (peekWord("ROLE", "WAREHOUSE", "SECONDARY")) {
            return skipped("USE " + tokens.get(pos).text().toUpperCase(Locale.ROOT) + " has no effect in the emulator");
        }
        if (acceptWord("DATABASE")) {
            String db = identifier("database name");
            expectEnd();
            return new Statement.Use(db, "PUBLIC");
        }
        if (acceptWord("SCHEMA")) {
            List<String> parts = qualifiedName("schema name", 2);
            expectEnd();
            String db = parts.size() == 2 ? parts.get(0) : requireCurrentDatabase();
            return new Statement.Use(db, parts.get(parts.size() - 1));
        }
        // USE name = database; USE db.schema
        List<String> parts = qualifiedName("database or schema name", 2);
        expectEnd();
        return parts.size() == 2 ? new Statement.Use(parts.get(0), parts.get(1)) : new Statement.Use(parts.get(0), "PUBLIC");
    }

    private Statement drop() {
        pos = 1;
        if (acceptWord("DATABASE")) {
            boolean ifExists = ifExists();
            String name = identifier("database name");
            return new Statement.DropDatabase(name, ifExists);
        }
        if (acceptWord("SCHEMA")) {
            boolean ifExists = ifExists();
            List<String> parts = qualifiedName("schema name", 2);
            String db = parts.size() == 2 ? parts.get(0) : requireCurrentDatabase();
            return new Statement.DropSchema(db, parts.get(parts.size() - 1), ifExists);
        }
        if (acceptWord("TABLE")) {
            boolean ifExists = ifExists();
            String[] n = objectName("table name");
            return new Statement.DropTable(n[0], n[1], n[2], ifExists);
        }
        if (acceptWord("PIPE")) {
            boolean ifExists = ifExists();
            String[] n = objectName("pipe name");
            return new Statement.DropPipe(n[0], n[1], n[2], ifExists);
        }
        if (acceptWord("USER")) {
            boolean ifExists = ifExists();
            if (isIdentifierFunction()) {
                return skipped("IDENTIFIER(…) names are not modelled by the emulator");
            }
            return new Statement.DropUser(identifier("user name"), ifExists);
        }
        return skipped("DROP " + (pos < tokens.size() ? tokens.get(pos).text().toUpperCase(Locale.ROOT) + " " : "")
                + "is not modelled by the emulator");
    }

    // ---------------------------------------------------------------- USER

    private Statement createUser(boolean orReplace) {
        boolean ifNotExists = ifNotExists();
        if (isIdentifierFunction()) {
            return skipped("IDENTIFIER(…) names are not modelled by the emulator");
        }
        String user = identifier("user name");
        Map<String, String> keys = keyProperties();
        List<String> list = new ArrayList<>();
        if (keys.containsKey("RSA_PUBLIC_KEY")) {
            list.add(keys.get("RSA_PUBLIC_KEY"));
        }
        if (keys.containsKey("RSA_PUBLIC_KEY_2")) {
            list.add(keys.get("RSA_PUBLIC_KEY_2"));
        }
        return new Statement.CreateUser(user, list, orReplace, ifNotExists);
    }

    private Statement alterUser() {
        pos = 2;
        ifExists();
        if (isIdentifierFunction()) {
            return skipped("IDENTIFIER(…) names are not modelled by the emulator");
        }
        String user = identifier("user name");
        if (acceptWord("SET")) {
            Map<String, String> keys = keyProperties();
            if (keys.isEmpty()) {
                return skipped("ALTER USER … SET without RSA_PUBLIC_KEY has no effect in the emulator");
            }
            return new Statement.AlterUserKeys(user, keys, Set.of());
        }
        if (acceptWord("UNSET")) {
            Set<String> unset = new LinkedHashSet<>();
            while (pos < tokens.size()) {
                Token t = tokens.get(pos++);
                if (t.isWord("RSA_PUBLIC_KEY") || t.isWord("RSA_PUBLIC_KEY_2")) {
                    unset.add(t.text().toUpperCase(Locale.ROOT));
                }
            }
            if (unset.isEmpty()) {
                return skipped("ALTER USER … UNSET without RSA_PUBLIC_KEY has no effect in the emulator");
            }
            return new Statement.AlterUserKeys(user, Map.of(), unset);
        }
        return skipped("this ALTER USER has no effect in the emulator");
    }

    /** Scans {@code NAME = value} properties for RSA_PUBLIC_KEY / RSA_PUBLIC_KEY_2; others are ignored. */
    private Map<String, String> keyProperties() {
        Map<String, String> keys = new LinkedHashMap<>();
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if ((t.isWord("RSA_PUBLIC_KEY") || t.isWord("RSA_PUBLIC_KEY_2")) && isSymbol(pos + 1, "=")) {
                pos += 2;
                Token value = expect("a quoted RSA public key after " + t.text() + " =");
                if (value.kind() != SqlLexer.Kind.STRING) {
                    throw error("expected a quoted RSA public key after " + t.text() + " =");
                }
                keys.put(t.text().toUpperCase(Locale.ROOT), normalizeKey(value.text()));
            } else {
                pos++;
            }
        }
        return keys;
    }

    /**
     * Snowflake wants the base64 body of the DER key; people paste it with line breaks or with the PEM
     * armour still on. Both are stripped so the stored key is the bare base64 text.
     */
    static String normalizeKey(String key) {
        return key.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s+", "");
    }

    // ---------------------------------------------------------------- TABLE

    private Statement createTable(boolean orReplace) {
        boolean ifNotExists = ifNotExists();
        String[] n = objectName("table name");
        if (peekWord("AS", "LIKE", "CLONE", "USING")) {
            return skipped("CREATE TABLE … " + tokens.get(pos).text().toUpperCase(Locale.ROOT)
                    + " is not modelled by the emulator; list the columns");
        }
        expectSymbol("(", "a column list after the table name");
        List<Column> columns = new ArrayList<>();
        Set<String> primaryKey = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        while (true) {
            if (peekWord("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN")) {
                tableConstraint(primaryKey);
            } else {
                Token nameToken = expect("a column name");
                if (nameToken.kind() != SqlLexer.Kind.WORD && nameToken.kind() != SqlLexer.Kind.QUOTED) {
                    throw error("expected a column name but found '" + nameToken.text() + "'");
                }
                String name = normalize(nameToken);
                if (!seen.add(name)) {
                    throw error("duplicate column name '" + name + "'");
                }
                Optional<ColumnType> type = columnType();
                if (type.isEmpty()) {
                    return skipped("column " + name + " has a type the emulator does not model ("
                            + tokens.get(pos - 1).text().toUpperCase(Locale.ROOT) + ")");
                }
                boolean nullable = columnModifiers(name, primaryKey);
                columns.add(new Column(name, type.get(), nullable));
            }
            Token sep = expect("',' or ')' in the column list");
            if (sep.isSymbol(")")) {
                break;
            }
            if (!sep.isSymbol(",")) {
                throw error("expected ',' or ')' in the column list but found '" + sep.text() + "'");
            }
        }
        if (peekWord("AS")) {
            return skipped("CREATE TABLE … AS SELECT is not modelled by the emulator");
        }
        // Table options after the list (CLUSTER BY, COMMENT, ENABLE_SCHEMA_EVOLUTION, …) are ignored.
        if (columns.isEmpty()) {
            throw error("table " + n[2] + " has no columns");
        }
        for (String pk : primaryKey) {
            boolean found = false;
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                if (c.name().equals(pk)) {
                    // Snowflake makes PRIMARY KEY columns NOT NULL (the one constraint it enforces).
                    columns.set(i, new Column(c.name(), c.type(), false));
                    found = true;
                }
            }
            if (!found) {
                throw error("PRIMARY KEY names unknown column '" + pk + "'");
            }
        }
        return new Statement.CreateTable(new TableDef(n[0], n[1], n[2], columns), orReplace, ifNotExists);
    }

    /** Parses a type; empty when it is a real Snowflake type the emulator does not model (GEOGRAPHY …). */
    private Optional<ColumnType> columnType() {
        Token t = expect("a column type");
        if (t.kind() != SqlLexer.Kind.WORD) {
            throw error("expected a column type but found '" + t.text() + "'");
        }
        String name = t.text().toUpperCase(Locale.ROOT);
        if (UNSUPPORTED_TYPES.contains(name)) {
            skipParenthesized();
            return Optional.empty();
        }
        // Multi-word spellings.
        if (name.equals("DOUBLE") && acceptWord("PRECISION")) {
            name = "DOUBLE";
        } else if ((name.equals("CHARACTER") || name.equals("CHAR") || name.equals("NCHAR")) && acceptWord("VARYING")) {
            name = "VARCHAR";
        } else if (name.equals("TIMESTAMP") && peekWord("WITH", "WITHOUT")) {
            boolean without = tokens.get(pos).isWord("WITHOUT");
            pos++;
            boolean local = acceptWord("LOCAL");
            expectWord("TIME");
            expectWord("ZONE");
            name = without ? "TIMESTAMP_NTZ" : local ? "TIMESTAMP_LTZ" : "TIMESTAMP_TZ";
        }
        List<Integer> args = typeArguments(name);
        try {
            // Snowflake's names, synonyms and parameter rules live once, in snowflake-types.
            return Optional.of(ColumnType.of(name.equals(t.text().toUpperCase(Locale.ROOT)) ? t.text() : name, args));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** Reads {@code (a[, b])}; for OBJECT/ARRAY structured types the contents are skipped. */
    private List<Integer> typeArguments(String typeName) {
        List<Integer> args = new ArrayList<>();
        if (!isSymbol(pos, "(")) {
            return args;
        }
        if (typeName.equals("OBJECT") || typeName.equals("ARRAY")) {
            skipParenthesized();
            return args;
        }
        pos++;
        while (true) {
            Token a = expect("a type parameter");
            if (a.kind() != SqlLexer.Kind.NUMBER || a.text().contains(".")) {
                throw error("expected an integer type parameter for " + typeName + " but found '" + a.text() + "'");
            }
            try {
                args.add(Integer.parseInt(a.text()));
            } catch (NumberFormatException e) {
                throw error("type parameter " + a.text() + " of " + typeName + " is too large");
            }
            Token sep = expect("',' or ')' after a type parameter");
            if (sep.isSymbol(")")) {
                return args;
            }
            if (!sep.isSymbol(",")) {
                throw error("expected ',' or ')' in the parameters of " + typeName + " but found '" + sep.text() + "'");
            }
        }
    }

    /** Words that start a column modifier; they also end a DEFAULT expression. */
    private static final Set<String> MODIFIER_WORDS = Set.of("NOT", "NULL", "DEFAULT", "AUTOINCREMENT", "IDENTITY",
            "COLLATE", "COMMENT", "PRIMARY", "UNIQUE", "FOREIGN", "REFERENCES", "CONSTRAINT", "WITH", "MASKING", "TAG",
            "PROJECTION", "ENFORCED", "RELY", "NORELY", "VALIDATE", "NOVALIDATE", "ENABLE", "DISABLE", "DEFERRABLE",
            "INITIALLY");

    /**
     * Reads column modifiers up to the next ',' or ')' of the column list and reports nullability:
     * {@code NOT NULL} or {@code PRIMARY KEY} make a column non-nullable. DEFAULT, AUTOINCREMENT/IDENTITY,
     * COLLATE, COMMENT, inline constraints, masking policies and tags are tolerated. Anything else is an
     * error, so a missing comma ({@code a INT b INT}) is reported rather than swallowed.
     */
    private boolean columnModifiers(String column, Set<String> primaryKey) {
        boolean nullable = true;
        while (pos < tokens.size() && !isSymbol(pos, ",") && !isSymbol(pos, ")")) {
            Token t = tokens.get(pos++);
            String w = t.kind() == SqlLexer.Kind.WORD ? t.text().toUpperCase(Locale.ROOT) : "";
            switch (w) {
                case "NOT" -> {
                    if (acceptWord("NULL")) {
                        nullable = false;
                    } else if (!acceptWord("ENFORCED") && !acceptWord("DEFERRABLE")) {
                        throw error("expected NULL after NOT in the definition of column " + column);
                    }
                }
                case "NULL", "ENFORCED", "RELY", "NORELY", "VALIDATE", "NOVALIDATE", "ENABLE", "DISABLE", "DEFERRABLE",
                     "ORDER", "NOORDER" -> {
                }
                case "INITIALLY" -> expect("DEFERRED or IMMEDIATE");
                case "DEFAULT" -> {
                    expect("a DEFAULT expression");
                    skipExpression();
                }
                case "AUTOINCREMENT", "IDENTITY" -> {
                    if (isSymbol(pos, "(")) {
                        skipParenthesized();
                    } else if (acceptWord("START")) {
                        acceptSymbol("=");
                        expect("a START value");
                        if (acceptWord("INCREMENT")) {
                            acceptSymbol("=");
                            expect("an INCREMENT value");
                        }
                    }
                }
                case "COLLATE", "COMMENT" -> {
                    acceptSymbol("=");
                    if (expect("a quoted " + w.toLowerCase(Locale.ROOT)).kind() != SqlLexer.Kind.STRING) {
                        throw error("expected a quoted " + w.toLowerCase(Locale.ROOT) + " for column " + column);
                    }
                }
                case "PRIMARY" -> {
                    expectWord("KEY");
                    primaryKey.add(column);
                }
                case "UNIQUE" -> {
                }
                case "CONSTRAINT" -> expect("a constraint name");
                case "FOREIGN" -> expectWord("KEY");
                case "REFERENCES" -> {
                    // REFERENCES t [(c)] [MATCH …] [ON UPDATE …] …: nothing here matters to ingestion.
                    while (pos < tokens.size() && !isSymbol(pos, ",") && !isSymbol(pos, ")")) {
                        if (isSymbol(pos, "(")) {
                            skipParenthesized();
                        } else {
                            pos++;
                        }
                    }
                }
                case "WITH", "MASKING", "TAG", "PROJECTION" -> {
                    // [WITH] MASKING POLICY p [USING (…)] | [WITH] TAG (…) | [WITH] PROJECTION POLICY p
                    while (pos < tokens.size() && !isSymbol(pos, ",") && !isSymbol(pos, ")") && !peekModifierStart()) {
                        if (isSymbol(pos, "(")) {
                            skipParenthesized();
                        } else {
                            pos++;
                        }
                    }
                }
                default -> throw error("unexpected '" + t.text() + "' in the definition of column " + column
                        + " (a missing ',' between columns?)");
            }
        }
        return nullable;
    }

    private boolean peekModifierStart() {
        return pos < tokens.size() && tokens.get(pos).kind() == SqlLexer.Kind.WORD
                && MODIFIER_WORDS.contains(tokens.get(pos).text().toUpperCase(Locale.ROOT))
                && !tokens.get(pos).isWord("WITH") && !tokens.get(pos).isWord("TAG") && !tokens.get(pos).isWord("MASKING");
    }

    /** Skips a DEFAULT expression's remaining tokens: up to ',' / ')' of the column list or the next modifier. */
    private void skipExpression() {
        while (pos < tokens.size() && !isSymbol(pos, ",") && !isSymbol(pos, ")")) {
            if (isSymbol(pos, "(")) {
                skipParenthesized();
            } else if (tokens.get(pos).kind() == SqlLexer.Kind.WORD
                    && MODIFIER_WORDS.contains(tokens.get(pos).text().toUpperCase(Locale.ROOT))) {
                return;
            } else {
                pos++;
            }
        }
    }

    /** {@code [CONSTRAINT name] PRIMARY KEY (a, b) | UNIQUE (…) | FOREIGN KEY (…) REFERENCES t (…) …}. */
    private void tableConstraint(Set<String> primaryKey) {
        if (acceptWord("CONSTRAINT")) {
            expect("a constraint name");
        }
        boolean pk = peekWord("PRIMARY");
        while (pos < tokens.size() && !isSymbol(pos, "(")) {
            pos++;
        }
        expectSymbol("(", "a column list in the constraint");
        while (true) {
            Token c = expect("a column name in the constraint");
            if (pk && (c.kind() == SqlLexer.Kind.WORD || c.kind() == SqlLexer.Kind.QUOTED)) {
                primaryKey.add(normalize(c));
            }
            Token sep = expect("',' or ')' in the constraint");
            if (sep.isSymbol(")")) {
                break;
            }
        }
        // REFERENCES t (…), ENFORCED, RELY …: skip to the end of this element.
        int depth = 0;
        while (pos < tokens.size()) {
            Token t = tokens.get(pos);
            if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")"))) {
                return;
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
            pos++;
        }
    }

    // ---------------------------------------------------------------- PIPE

    private Statement createPipe(boolean orReplace) {
        boolean ifNotExists = ifNotExists();
        String[] n = objectName("pipe name");
        // Pipe options before AS (COMMENT = '…', ERROR_INTEGRATION = …) are ignored.
        while (pos < tokens.size() && !peekWord("AS")) {
            pos++;
        }
        expectWord("AS");
        expectWord("COPY");
        expectWord("INTO");
        String[] t = objectName("target table name");
        List<String> columnList = new ArrayList<>();
        if (acceptSymbol("(")) {
            while (true) {
                columnList.add(normalize(identifierToken("a column name in the COPY column list")));
                Token sep = expect("',' or ')' in the COPY column list");
                if (sep.isSymbol(")")) {
                    break;
                }
                if (!sep.isSymbol(",")) {
                    throw error("expected ',' or ')' in the COPY column list but found '" + sep.text() + "'");
                }
            }
        }
        expectWord("FROM");
        List<Projection> projections = new ArrayList<>();
        if (acceptSymbol("(")) {
            expectWord("SELECT");
            while (true) {
                projections.add(projection());
                if (!acceptSymbol(",")) {
                    break;
                }
            }
            expectWord("FROM");
            if (!streamingSource()) {
                return skipped("only streaming pipes (FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))) are modelled");
            }
            acceptAlias();
            expectSymbol(")", "')' closing the SELECT");
        } else if (!streamingSource()) {
            return skipped("only streaming pipes (FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))) are modelled");
        }
        MatchByColumnName match = null;
        while (pos < tokens.size()) {
            Token option = expect("a COPY option");
            if (option.kind() != SqlLexer.Kind.WORD || !isSymbol(pos, "=")) {
                throw error("expected a COPY option (NAME = value) but found '" + option.text() + "'");
            }
            pos++;
            Token value = expect("a value for " + option.text());
            if (option.isWord("MATCH_BY_COLUMN_NAME")) {
                try {
                    match = MatchByColumnName.valueOf(value.text().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error("MATCH_BY_COLUMN_NAME must be CASE_SENSITIVE, CASE_INSENSITIVE or NONE, not '" + value.text() + "'");
                }
            } else if (value.isSymbol("(")) {
                pos--;
                skipParenthesized();
            }
            // CLUSTER_AT_INGEST_TIME and other options do not change row conversion; ignored.
        }
        if (!projections.isEmpty() && match != null && match != MatchByColumnName.NONE) {
            // COPY's own rule: match_by_column_name is not supported with copy transform.
            throw error("MATCH_BY_COLUMN_NAME cannot be combined with a SELECT transform");
        }
        if (projections.isEmpty() && !columnList.isEmpty()) {
            throw error("a COPY column list needs a SELECT transform");
        }
        TableDef table = context.existingTable(t[0], t[1], t[2]).orElseThrow(() -> error(
                "Table '" + t[0] + "." + t[1] + "." + t[2] + "' does not exist or not authorized (create it before its pipe)"));
        List<String> targets = new ArrayList<>();
        if (!projections.isEmpty()) {
            if (columnList.isEmpty()) {
                if (projections.size() != table.columns().size()) {
                    throw error("insert value list does not match column list expecting " + table.columns().size()
                            + " but got " + projections.size());
                }
                table.columns().forEach(c -> targets.add(c.name()));
            } else {
                if (projections.size() != columnList.size()) {
                    throw error("insert value list does not match column list expecting " + columnList.size()
                            + " but got " + projections.size());
                }
                for (String c : columnList) {
                    if (table.columnIndex(c) < 0) {
                        throw error("invalid identifier '" + c + "': no such column in " + table.name());
                    }
                    if (targets.contains(c)) {
                        throw error("duplicate column '" + c + "' in the COPY column list");
                    }
                    targets.add(c);
                }
            }
        }
        PipeDef pipe = new PipeDef(n[0], n[1], n[2], table.name(), table.database(), table.schema(),
                match == null ? MatchByColumnName.NONE : match, targets, projections, false);
        return new Statement.CreatePipe(pipe, orReplace, ifNotExists);
    }

    /** {@code TABLE(DATA_SOURCE(TYPE => 'STREAMING'))}; false when the source is something else (a stage). */
    private boolean streamingSource() {
        if (!peekWord("TABLE")) {
            return false;
        }
        pos++;
        expectSymbol("(", "'(' after TABLE");
        expectWord("DATA_SOURCE");
        expectSymbol("(", "'(' after DATA_SOURCE");
        expectWord("TYPE");
        expectSymbol("=>", "'=>' after TYPE");
        Token type = expect("'STREAMING'");
        if (type.kind() != SqlLexer.Kind.STRING || !type.text().equalsIgnoreCase("STREAMING")) {
            throw error("DATA_SOURCE TYPE must be 'STREAMING'");
        }
        expectSymbol(")", "')' closing DATA_SOURCE");
        expectSymbol(")", "')' closing TABLE");
        return true;
    }

    private void acceptAlias() {
        if (acceptWord("AS")) {
            identifierToken("an alias");
        } else if (pos < tokens.size() && tokens.get(pos).kind() == SqlLexer.Kind.WORD) {
            pos++;
        }
    }

    /** {@code $1[:a][.b][[0]]['c'][::TYPE] [[AS] alias]}. */
    private Projection projection() {
        int startToken = pos;
        Token start = expect("a projection such as $1:field");
        if (start.kind() != SqlLexer.Kind.VARIABLE || !start.text().equals("$1")) {
            throw error("unsupported projection starting '" + start.text() + "': only $1[:path][::TYPE] is modelled");
        }
        List<PathStep> path = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (isSymbol(pos, ":") || (!first && isSymbol(pos, "."))) {
                pos++;
                Token element = expect("an element name");
                if (element.kind() == SqlLexer.Kind.WORD) {
                    // Element names are case-sensitive even unquoted (Q-SEMI).
                    path.add(PathStep.field(element.text()));
                } else if (element.kind() == SqlLexer.Kind.QUOTED) {
                    path.add(PathStep.field(element.text()));
                } else {
                    throw error("expected an element name after ':' but found '" + element.text() + "'");
                }
            } else if (isSymbol(pos, "[")) {
                pos++;
                Token key = expect("an index or a quoted element name");
                if (key.kind() == SqlLexer.Kind.STRING) {
                    path.add(PathStep.field(key.text()));
                } else if (key.kind() == SqlLexer.Kind.NUMBER && !key.text().contains(".")) {
                    path.add(PathStep.index(Integer.parseInt(key.text())));
                } else {
                    throw error("expected an index or a quoted element name in [] but found '" + key.text() + "'");
                }
                expectSymbol("]", "']'");
            } else {
                break;
            }
            first = false;
        }
        ColumnType cast = null;
        if (acceptSymbol("::")) {
            cast = columnType().orElseThrow(() -> error("cast to a type the emulator does not model"));
        }
        String expression = tokensText(startToken, pos);
        if (acceptWord("AS")) {
            identifierToken("an alias");
        } else if (pos < tokens.size() && (tokens.get(pos).kind() == SqlLexer.Kind.QUOTED
                || (tokens.get(pos).kind() == SqlLexer.Kind.WORD && !peekWord("FROM")))) {
            pos++;
        }
        if (pos < tokens.size() && !isSymbol(pos, ",") && !peekWord("FROM")) {
            throw error("unsupported projection '" + expression + " " + tokens.get(pos).text()
                    + "…': only $1[:path][::TYPE] is modelled");
        }
        return new Projection(path, cast, expression);
    }

    private String tokensText(int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(tokens.get(i).kind() == SqlLexer.Kind.QUOTED ? '"' + tokens.get(i).text() + '"'
                    : tokens.get(i).kind() == SqlLexer.Kind.STRING ? "'" + tokens.get(i).text() + "'" : tokens.get(i).text());
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- names

    /** A 1..3-part name resolved to {database, schema, name} with the current database and schema. */
    private String[] objectName(String what) {
        List<String> parts = qualifiedName(what, 3);
        String name = parts.get(parts.size() - 1);
        String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : requireCurrentSchema();
        String database = parts.size() == 3 ? parts.get(0) : requireCurrentDatabase();
        return new String[] {database, schema, name};
    }

    private List<String> qualifiedName(String what, int maxParts) {
        List<String> parts = new ArrayList<>();
        parts.add(normalize(identifierToken(what)));
        while (isSymbol(pos, ".")) {
            pos++;
            if (isSymbol(pos, ".")) {
                // db..table means the PUBLIC schema.
                parts.add("PUBLIC");
                continue;
            }
            parts.add(normalize(identifierToken(what)));
        }
        if (parts.size() > maxParts) {
            throw error(what + " has too many parts: " + String.join(".", parts));
        }
        return parts;
    }

    private String identifier(String what) {
        return normalize(identifierToken(what));
    }

    private Token identifierToken(String what) {
        Token t = expect(what);
        if (t.kind() != SqlLexer.Kind.WORD && t.kind() != SqlLexer.Kind.QUOTED) {
            throw error("expected " + what + " but found '" + t.text() + "'");
        }
        if (t.kind() == SqlLexer.Kind.WORD && t.text().equalsIgnoreCase("IDENTIFIER") && isSymbol(pos, "(")) {
            throw error("IDENTIFIER(…) names are not supported by the emulator; write the name");
        }
        return t;
    }

    private boolean isIdentifierFunction() {
        return is(pos, "IDENTIFIER") && isSymbol(pos + 1, "(");
    }

    /** Unquoted → upper-case, quoted → exact (Snowflake identifier rules). */
    static String normalize(Token t) {
        return t.kind() == SqlLexer.Kind.QUOTED ? t.text() : t.text().toUpperCase(Locale.ROOT);
    }

    private String requireCurrentDatabase() {
        String db = context.currentDatabase();
        if (db == null) {
            throw error("no current database: qualify the name or run USE DATABASE / CREATE DATABASE first");
        }
        return db;
    }

    private String requireCurrentSchema() {
        requireCurrentDatabase();
        String schema = context.currentSchema();
        if (schema == null) {
            throw error("no current schema: qualify the name or run USE SCHEMA / CREATE SCHEMA first");
        }
        return schema;
    }
}
