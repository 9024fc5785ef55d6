package io.snowpiperelay.testkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpiperelay.types.Column;
import io.snowpiperelay.types.ColumnType;
import io.snowpiperelay.types.ColumnType.Kind;
import io.snowpiperelay.types.MatchByColumnName;
import io.snowpiperelay.types.PathStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogTest {

    private static final String SCHEMA = "CREATE DATABASE D; CREATE SCHEMA S;\n";

    private static TableDef onlyTable(Catalog c) {
        assertThat(c.tables()).hasSize(1);
        return c.tables().get(0);
    }

    // ------------------------------------------------------------------ the quickstart

    @Test
    void quickstartSetupLoadsUnchanged() {
        Catalog c = new Catalog();
        List<Statement> statements = c.execute(QuickstartSetupSql.SETUP);

        assertThat(c.tables()).extracting(TableDef::name)
                .containsExactly("RESORT_TICKET", "SEASON_PASS", "LIFT_RIDE", "RESORT_CAPACITY", "DAILY_VISITS");
        TableDef ticket = c.table("STREAMING_INGEST", "STREAMING_INGEST", "RESORT_TICKET").orElseThrow();
        assertThat(ticket.columns()).extracting(Column::name).containsExactly("TXID", "RFID", "RESORT", "PURCHASE_TIME",
                "PRICE_USD", "EXPIRATION_TIME", "DAYS", "NAME", "ADDRESS", "PHONE", "EMAIL", "EMERGENCY_CONTACT");
        assertThat(ticket.columns()).extracting(col -> col.type().sql()).containsExactly("VARCHAR(255)", "VARCHAR(255)",
                "VARCHAR(255)", "TIMESTAMP_NTZ(9)", "NUMBER(7,2)", "DATE", "NUMBER(38,0)", "VARCHAR(255)", "VARIANT",
                "VARCHAR(255)", "VARCHAR(255)", "VARIANT");
        assertThat(ticket.columns()).allMatch(Column::nullable);
        TableDef ride = c.table("streaming_ingest", "streaming_ingest", "lift_ride").orElseThrow();
        assertThat(ride.columns().get(5).type()).isEqualTo(ColumnType.number(38, 0));
        // PRIMARY KEY columns are NOT NULL in Snowflake.
        TableDef capacity = c.table("STREAMING_INGEST", "STREAMING_INGEST", "RESORT_CAPACITY").orElseThrow();
        assertThat(capacity.columns().get(0).nullable()).isFalse();
        assertThat(c.table("STREAMING_INGEST", "STREAMING_INGEST", "DAILY_VISITS").orElseThrow().columns().get(6).type().kind())
                .isEqualTo(Kind.BOOLEAN);

        for (String name : List.of("RESORT_TICKET", "SEASON_PASS", "LIFT_RIDE")) {
            PipeDef pipe = c.pipe("STREAMING_INGEST", "STREAMING_INGEST", name + "_PIPE").orElseThrow();
            assertThat(pipe.table()).isEqualTo(name);
            assertThat(pipe.matchByColumnName()).isEqualTo(MatchByColumnName.CASE_SENSITIVE);
            assertThat(pipe.hasTransform()).isFalse();
            assertThat(pipe.defaultPipe()).isFalse();
        }
        assertThat(c.userPublicKeys()).containsOnlyKeys("STREAMING_INGEST");
        assertThat(c.userPublicKeys().get("STREAMING_INGEST")).containsExactly(QuickstartSetupSql.PUBLIC_KEY);

        List<String> skipped = new ArrayList<>();
        for (Statement s : statements) {
            if (s instanceof Statement.Skipped sk) {
                skipped.add(sk.text().split("\\s+")[0] + " " + sk.text().split("\\s+")[1]);
            }
        }
        assertThat(skipped).contains("USE ROLE", "GRANT USAGE", "SET USERNAME=CURRENT_USER()", "INSERT INTO",
                "ALTER TASK", "SHOW DYNAMIC", "SELECT *");
        assertThat(statements).filteredOn(s -> s instanceof Statement.Skipped sk && sk.text().contains("$$"))
                .singleElement().satisfies(s -> assertThat(((Statement.Skipped) s).text()).contains("return \"OK\""));
        assertThat(c.currentDatabase()).isEqualTo("STREAMING_INGEST");
        assertThat(c.currentSchema()).isEqualTo("STREAMING_INGEST");
    }

    @Test
    void quickstartSetupRerunIsIdempotent() {
        Catalog c = new Catalog();
        c.execute(QuickstartSetupSql.SETUP);
        List<TableDef> first = c.tables();
        c.execute(QuickstartSetupSql.SETUP);
        assertThat(c.tables()).isEqualTo(first);
        assertThat(c.pipes()).hasSize(3);
        assertThat(c.userPublicKeys().get("STREAMING_INGEST")).containsExactly(QuickstartSetupSql.PUBLIC_KEY);
    }

    /** The project's own setup file (docs/snowflake-setup.sql) is what the emulator and the demo load. */
    @Test
    void projectSetupFileLoadsUnchanged() throws Exception {
        // Surefire runs in the module directory; an IDE may run in the repository root.
        Path file = Files.exists(Path.of("..", "docs", "snowflake-setup.sql"))
                ? Path.of("..", "docs", "snowflake-setup.sql") : Path.of("docs", "snowflake-setup.sql");
        assertThat(file).exists();
        Catalog c = new Catalog();
        c.execute(Files.readString(file));
        assertThat(c.tables()).extracting(TableDef::name).contains("RESORT_TICKET", "SEASON_PASS", "LIFT_RIDE");
        assertThat(c.pipe("STREAMING_INGEST", "STREAMING_INGEST", "LIFT_RIDE_PIPE")).isPresent();
        assertThat(c.userPublicKeys()).containsKey("STREAMING_INGEST");
    }

    // ------------------------------------------------------------------ statement forms

    @Test
    void databaseAndSchemaForms() {
        Catalog c = new Catalog();
        List<Statement> s = c.execute("""
                create database if not exists db1 DATA_RETENTION_TIME_IN_DAYS = 1 COMMENT = 'x; y';
                create or replace schema db1.sch;
                create schema "lower";
                """);
        assertThat(s).containsExactly(new Statement.CreateDatabase("DB1", false, true),
                new Statement.CreateSchema("DB1", "SCH", true, false),
                new Statement.CreateSchema("DB1", "lower", false, false));
        assertThat(c.currentDatabase()).isEqualTo("DB1");
        assertThat(c.currentSchema()).isEqualTo("lower");
        c.execute("create table t (a int)");
        assertThat(onlyTable(c)).extracting(TableDef::database, TableDef::schema).containsExactly("DB1", "lower");
    }

    @Test
    void useStatementsChangeTheNamespaceOfUnqualifiedNames() {
        Catalog c = new Catalog();
        List<Statement> s = c.execute("""
                USE ROLE SYSADMIN; USE WAREHOUSE WH; USE SECONDARY ROLES ALL;
                USE DATABASE a; CREATE TABLE t1 (x INT);
                USE SCHEMA b.s2; CREATE TABLE t2 (x INT);
                USE c; CREATE TABLE t3 (x INT);
                USE d.s4; CREATE TABLE t4 (x INT);
                USE SCHEMA s5; CREATE TABLE t5 (x INT);
                """);
        assertThat(s.subList(0, 3)).allMatch(x -> x instanceof Statement.Skipped);
        assertThat(s.get(3)).isEqualTo(new Statement.Use("A", "PUBLIC"));
        assertThat(c.tables()).extracting(t -> t.database() + "." + t.schema() + "." + t.name())
                .containsExactly("A.PUBLIC.T1", "B.S2.T2", "C.PUBLIC.T3", "D.S4.T4", "D.S5.T5");
    }

    @Test
    void createTableWithEveryTypeAndModifier() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + """
                CREATE OR REPLACE TRANSIENT TABLE IF NOT EXISTS d.s."Mixed Case" (
                  v1 VARCHAR(10) NOT NULL COMMENT 'not; a terminator',
                  v2 STRING DEFAULT 'x', v3 TEXT, v4 CHAR(3), v5 CHAR, v6 NVARCHAR(5), v7 CHARACTER VARYING(7),
                  n1 NUMBER(10,2), n2 DECIMAL, n3 NUMERIC(5), n4 INT, n5 INTEGER, n6 BIGINT, n7 SMALLINT, n8 TINYINT, n9 BYTEINT,
                  n10 DEC(3,3) DEFAULT 0.5,
                  f1 FLOAT, f2 DOUBLE, f3 REAL, f4 DOUBLE PRECISION, f5 FLOAT8,
                  b BOOLEAN NULL, d DATE, tm TIME, tm3 TIME(3),
                  ts TIMESTAMP, ts0 TIMESTAMP(0), ntz TIMESTAMP_NTZ(6), ltz TIMESTAMP_LTZ, tz TIMESTAMP_TZ(3), dt DATETIME,
                  var VARIANT, obj OBJECT, arr ARRAY, sarr ARRAY(VARCHAR), sobj OBJECT(a INT, b VARCHAR),
                  bin BINARY(16), vbin VARBINARY,
                  id NUMBER AUTOINCREMENT START 1 INCREMENT 1 NOORDER,
                  idt INT IDENTITY(1, 1),
                  coll VARCHAR COLLATE 'en-ci',
                  "quoted col" INT,
                  CONSTRAINT pk PRIMARY KEY (n4, "quoted col"),
                  UNIQUE (n5),
                  FOREIGN KEY (n6) REFERENCES other (x)
                ) CLUSTER BY (n1) ENABLE_SCHEMA_EVOLUTION = TRUE COMMENT = 'table';
                """);
        TableDef t = c.table("D", "S", "\"Mixed Case\"").orElseThrow();
        assertThat(t.name()).isEqualTo("Mixed Case");
        List<String> types = t.columns().stream().map(col -> col.name() + " " + col.type().sql()).toList();
        assertThat(types).containsExactly("V1 VARCHAR(10)", "V2 VARCHAR(16777216)", "V3 VARCHAR(16777216)",
                "V4 VARCHAR(3)", "V5 VARCHAR(1)", "V6 VARCHAR(5)", "V7 VARCHAR(7)",
                "N1 NUMBER(10,2)", "N2 NUMBER(38,0)", "N3 NUMBER(5,0)", "N4 NUMBER(38,0)", "N5 NUMBER(38,0)",
                "N6 NUMBER(38,0)", "N7 NUMBER(38,0)", "N8 NUMBER(38,0)", "N9 NUMBER(38,0)", "N10 NUMBER(3,3)",
                "F1 FLOAT", "F2 FLOAT", "F3 FLOAT", "F4 FLOAT", "F5 FLOAT",
                "B BOOLEAN", "D DATE", "TM TIME(9)", "TM3 TIME(3)",
                "TS TIMESTAMP_NTZ(9)", "TS0 TIMESTAMP_NTZ(0)", "NTZ TIMESTAMP_NTZ(6)", "LTZ TIMESTAMP_LTZ(9)",
                "TZ TIMESTAMP_TZ(3)", "DT TIMESTAMP_NTZ(9)",
                "VAR VARIANT", "OBJ OBJECT", "ARR ARRAY", "SARR ARRAY", "SOBJ OBJECT",
                "BIN BINARY(16)", "VBIN BINARY(8388608)", "ID NUMBER(38,0)", "IDT NUMBER(38,0)",
                "COLL VARCHAR(16777216)", "quoted col NUMBER(38,0)");
        assertThat(t.columns()).filteredOn(col -> !col.nullable()).extracting(Column::name)
                .containsExactly("V1", "N4", "quoted col");
        assertThat(t.sqliteCreateTable("t_1")).startsWith("CREATE TABLE IF NOT EXISTS \"t_1\" (\"V1\" TEXT, ")
                .contains("\"N1\" NUMERIC", "\"N2\" INTEGER", "\"F1\" REAL", "\"B\" INTEGER", "\"TS\" TEXT",
                        "\"VAR\" TEXT", "\"quoted col\" INTEGER");
    }

    @Test
    void tableVariantsTheEmulatorDoesNotModelAreSkipped() {
        Catalog c = new Catalog();
        List<Statement> s = c.execute(SCHEMA + """
                CREATE TABLE a AS SELECT 1 AS X;
                CREATE TABLE b LIKE a;
                CREATE TABLE c CLONE a;
                CREATE TABLE g (id INT, shape GEOGRAPHY);
                CREATE DYNAMIC TABLE dt TARGET_LAG = '1 minute' WAREHOUSE = W AS SELECT 1;
                CREATE EXTERNAL TABLE e (x INT) LOCATION = @stage;
                CREATE HYBRID TABLE h (x INT PRIMARY KEY);
                CREATE OR ALTER TABLE oa (x INT);
                """);
        assertThat(s.subList(2, s.size())).allMatch(x -> x instanceof Statement.Skipped);
        assertThat(c.tables()).isEmpty();
        assertThat(((Statement.Skipped) s.get(5)).reason()).contains("GEOGRAPHY");
    }

    @Test
    void createTableConflictsFollowSnowflake() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + "CREATE TABLE t (a INT);");
        c.execute("CREATE TABLE IF NOT EXISTS t (b INT)");
        assertThat(onlyTable(c).columns()).extracting(Column::name).containsExactly("A");
        c.execute("CREATE OR REPLACE TABLE t (b INT)");
        assertThat(onlyTable(c).columns()).extracting(Column::name).containsExactly("B");
        assertThatThrownBy(() -> c.execute("\n\nCREATE TABLE t (c INT)"))
                .isInstanceOf(SqlException.class).hasMessageContaining("line 3").hasMessageContaining("already exists");
    }

    @Test
    void pipeWithMatchByColumnName() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + """
                CREATE TABLE t (a INT, b STRING);
                CREATE PIPE p1 AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE;
                CREATE PIPE p2 COMMENT = 'c' AS COPY INTO d.s.t FROM TABLE(DATA_SOURCE(TYPE => 'streaming'))
                  MATCH_BY_COLUMN_NAME = NONE CLUSTER_AT_INGEST_TIME = TRUE;
                CREATE PIPE p3 AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'));
                """);
        assertThat(c.pipe("D", "S", "P1").orElseThrow().matchByColumnName()).isEqualTo(MatchByColumnName.CASE_INSENSITIVE);
        assertThat(c.pipe("d", "s", "p2").orElseThrow().matchByColumnName()).isEqualTo(MatchByColumnName.NONE);
        assertThat(c.pipe("D", "S", "P3").orElseThrow()).extracting(PipeDef::table, PipeDef::tableDatabase, PipeDef::tableSchema)
                .containsExactly("T", "D", "S");
    }

    @Test
    void pipeWithSelectTransform() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + """
                CREATE TABLE t (a INT, b STRING, c VARIANT, d TIMESTAMP_NTZ);
                CREATE OR REPLACE PIPE p AS
                  COPY INTO t (b, a, d)
                  FROM (SELECT $1:Name::STRING, $1:"count", $1:meta.when[0]::TIMESTAMP_NTZ AS w
                        FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')));
                CREATE PIPE whole AS COPY INTO t FROM (SELECT $1:a, $1['b key'], $1, $1:d
                        FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) src);
                """);
        PipeDef p = c.pipe("D", "S", "P").orElseThrow();
        assertThat(p.targetColumns()).containsExactly("B", "A", "D");
        assertThat(p.projections().get(0).path()).containsExactly(PathStep.field("Name"));
        assertThat(p.projections().get(0).cast()).isEqualTo(ColumnType.varchar(ColumnType.DEFAULT_VARCHAR_LENGTH));
        assertThat(p.projections().get(1).path()).containsExactly(PathStep.field("count"));
        assertThat(p.projections().get(1).cast()).isNull();
        assertThat(p.projections().get(2).path()).containsExactly(PathStep.field("meta"), PathStep.field("when"), PathStep.index(0));
        PipeDef whole = c.pipe("D", "S", "WHOLE").orElseThrow();
        assertThat(whole.targetColumns()).containsExactly("A", "B", "C", "D");
        assertThat(whole.projections().get(1).path()).containsExactly(PathStep.field("b key"));
        assertThat(whole.projections().get(2).path()).isEmpty();
    }

    @Test
    void defaultPipeOfEveryTable() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + "CREATE TABLE my_table (a INT); CREATE TABLE \"lower\" (a INT);");
        PipeDef p = c.pipe("D", "S", "MY_TABLE-STREAMING").orElseThrow();
        assertThat(p.defaultPipe()).isTrue();
        assertThat(p.table()).isEqualTo("MY_TABLE");
        assertThat(p.matchByColumnName()).isEqualTo(MatchByColumnName.CASE_INSENSITIVE);
        assertThat(c.pipe("d", "s", "my_table-streaming")).contains(p);
        assertThat(c.pipe("D", "S", "\"MY_TABLE-STREAMING\"")).contains(p);
        assertThat(c.pipe("D", "S", "\"lower-STREAMING\"").orElseThrow().table()).isEqualTo("lower");
        assertThat(c.pipe("D", "S", "lower-streaming").orElseThrow().table()).isEqualTo("lower");
        assertThat(c.pipe("D", "S", "NOPE-STREAMING")).isEmpty();
        assertThat(c.pipe("D", "S", "MY_TABLE")).isEmpty();
    }

    @ParameterizedTest(name = "{0}.{1}.{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "D|S|T|T",
            "d|s|t|T",
            "\"D\"|\"S\"|\"T\"|T",
            "D|S|\"t\"|",
            "D|S|mixed|Mixed",
            "D|S|\"Mixed\"|Mixed",
            "D|S|\"MIXED\"|",
    })
    void identifierRulesForLookups(String db, String schema, String table, String expected) {
        Catalog c = new Catalog();
        c.execute(SCHEMA + "CREATE TABLE t (a INT); CREATE TABLE \"Mixed\" (a INT);");
        assertThat(c.table(db, schema, table).map(TableDef::name).orElse(null)).isEqualTo(expected);
    }

    @Test
    void caseInsensitiveFallbackRefusesAmbiguity() {
        Catalog c = new Catalog();
        c.execute(SCHEMA + "CREATE TABLE \"ab\" (a INT); CREATE TABLE \"Ab\" (a INT);");
        assertThat(c.table("D", "S", "aB")).isEmpty();
        assertThat(c.table("D", "S", "\"ab\"")).isPresent();
    }

    @Test
    void userKeysFromCreateAndAlter() {
        Catalog c = new Catalog();
        List<String> changes = new ArrayList<>();
        c.addListener(new CatalogListener() {
            @Override
            public void userKeysChanged(String user) {
                changes.add(user);
            }
        });
        c.execute("""
                CREATE USER svc RSA_PUBLIC_KEY = 'AAAA' PASSWORD = 'secret' RSA_PUBLIC_KEY_2='BBBB';
                ALTER USER IF EXISTS svc SET RSA_PUBLIC_KEY_2 = '-----BEGIN PUBLIC KEY-----
                CCCC
                DDDD
                -----END PUBLIC KEY-----';
                ALTER USER "Quoted" SET RSA_PUBLIC_KEY='EEEE';
                ALTER USER svc SET DEFAULT_ROLE = R;
                ALTER USER other RESET PASSWORD;
                """);
        assertThat(c.userPublicKeys()).containsExactly(
                java.util.Map.entry("SVC", List.of("AAAA", "CCCCDDDD")), java.util.Map.entry("Quoted", List.of("EEEE")));
        assertThat(changes).containsExactly("SVC", "SVC", "Quoted");
        c.execute("ALTER USER svc UNSET RSA_PUBLIC_KEY");
        assertThat(c.userPublicKeys().get("SVC")).containsExactly("CCCCDDDD");
        c.execute("CREATE OR REPLACE USER svc");
        assertThat(c.userPublicKeys()).doesNotContainKey("SVC");
        c.execute("CREATE USER IF NOT EXISTS \"Quoted\" RSA_PUBLIC_KEY='ZZZZ'; DROP USER IF EXISTS nobody");
        assertThat(c.userPublicKeys().get("Quoted")).containsExactly("EEEE");
        c.execute("DROP USER \"Quoted\"");
        assertThat(c.userPublicKeys()).isEmpty();
    }

    @Test
    void listenersSeeCreatesReplacesAndDrops() {
        Catalog c = new Catalog();
        List<String> events = new ArrayList<>();
        c.addListener(new CatalogListener() {
            @Override
            public void tableCreated(TableDef table) {
                events.add("created " + table.name() + table.columns().size());
            }

            @Override
            public void tableDropped(TableDef table) {
                events.add("dropped " + table.name() + table.columns().size());
            }
        });
        c.execute(SCHEMA + """
                CREATE TABLE a (x INT);
                CREATE TABLE IF NOT EXISTS a (x INT, y INT);
                CREATE OR REPLACE TABLE a (x INT, y INT);
                CREATE TABLE b (x INT);
                CREATE PIPE pb AS COPY INTO b FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'));
                DROP TABLE b;
                DROP TABLE IF EXISTS b;
                DROP PIPE pb;
                CREATE TABLE other.s.c (x INT);
                CREATE SCHEMA d.s2;
                CREATE TABLE e (x INT);
                DROP SCHEMA d.s2;
                DROP DATABASE d;
                """);
        assertThat(events).containsExactly("created A1", "dropped A1", "created A2", "created B1", "dropped B1",
                "created C1", "created E1", "dropped E1", "dropped A2");
        assertThat(c.tables()).extracting(TableDef::name).containsExactly("C");
        assertThat(c.pipes()).isEmpty();
        assertThat(c.currentDatabase()).isNull();
    }

    @Test
    void droppingMissingObjectsWithoutIfExistsFails() {
        Catalog c = new Catalog();
        c.execute(SCHEMA);
        assertThatThrownBy(() -> c.execute("DROP TABLE nope")).isInstanceOf(SqlException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> c.execute("DROP PIPE nope")).isInstanceOf(SqlException.class);
        assertThatThrownBy(() -> c.execute("DROP DATABASE nope")).isInstanceOf(SqlException.class);
        c.execute("DROP TABLE IF EXISTS nope; DROP PIPE IF EXISTS nope; DROP DATABASE IF EXISTS nope; DROP SCHEMA IF EXISTS nope");
    }

    @Test
    void unsupportedStatementsAreSkippedNotFailed() {
        Catalog c = new Catalog();
        List<Statement> s = c.execute("""
                GRANT ROLE R TO USER IDENTIFIER($U);
                SET (a, b) = (1, 2);
                ALTER WAREHOUSE W SUSPEND;
                DROP WAREHOUSE IF EXISTS W;
                DROP ROLE R;
                CREATE ROLE R;
                CREATE OR REPLACE FILE FORMAT ff TYPE = JSON;
                CREATE STAGE @weird ~ % ^ & | ! ? < > { } [ ] #;
                CALL SYSTEM$STREAMING_CHANNEL_INVALIDATE('x');
                COMMENT ON TABLE t IS 'x';
                ) stray;
                BEGIN; COMMIT;
                """);
        assertThat(s).hasSize(13).allMatch(x -> x instanceof Statement.Skipped);
        assertThat(((Statement.Skipped) s.get(0)).text()).isEqualTo("GRANT ROLE R TO USER IDENTIFIER($U)");
    }

    @Test
    void everySupportedFormReturnsItsStatement() {
        Catalog c = new Catalog();
        List<Statement> s = c.execute("""
                CREATE OR REPLACE DATABASE d;
                CREATE SCHEMA IF NOT EXISTS d.s;
                USE SCHEMA d.s;
                CREATE TABLE t (a INT NOT NULL);
                CREATE PIPE IF NOT EXISTS p AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE;
                CREATE OR REPLACE USER u RSA_PUBLIC_KEY = 'K1';
                ALTER USER u SET RSA_PUBLIC_KEY_2 = 'K2';
                ALTER USER u UNSET RSA_PUBLIC_KEY, RSA_PUBLIC_KEY_2;
                DROP PIPE p;
                DROP TABLE IF EXISTS t;
                DROP USER u;
                DROP SCHEMA d.s;
                DROP DATABASE IF EXISTS d;
                GRANT ALL ON DATABASE d TO ROLE r;
                """);
        TableDef t = new TableDef("D", "S", "T", List.of(new Column("A", ColumnType.number(38, 0), false)));
        assertThat(s).containsExactly(
                new Statement.CreateDatabase("D", true, false),
                new Statement.CreateSchema("D", "S", false, true),
                new Statement.Use("D", "S"),
                new Statement.CreateTable(t, false, false),
                new Statement.CreatePipe(new PipeDef("D", "S", "P", "T", "D", "S", MatchByColumnName.CASE_SENSITIVE,
                        List.of(), List.of(), false), false, true),
                new Statement.CreateUser("U", List.of("K1"), true, false),
                new Statement.AlterUserKeys("U", java.util.Map.of("RSA_PUBLIC_KEY_2", "K2"), java.util.Set.of()),
                new Statement.AlterUserKeys("U", java.util.Map.of(), java.util.Set.of("RSA_PUBLIC_KEY", "RSA_PUBLIC_KEY_2")),
                new Statement.DropPipe("D", "S", "P", false),
                new Statement.DropTable("D", "S", "T", true),
                new Statement.DropUser("U", false),
                new Statement.DropSchema("D", "S", false),
                new Statement.DropDatabase("D", true),
                new Statement.Skipped("GRANT ALL ON DATABASE d TO ROLE r", "GRANT statements are not modelled by the emulator"));
    }

    @Test
    void commentsAndQuotingInsideStatements() {
        Catalog c = new Catalog();
        c.execute("""
                CREATE DATABASE "my db"; -- trailing comment; with a semicolon
                CREATE SCHEMA "my db"."Sch ema";
                CREATE TABLE /* inline; comment */ "my db"."Sch ema"."T;1" (
                  "col ""q""\" VARCHAR(3) COMMENT 'it''s; fine', // another comment
                  b INT DEFAULT 0 NOT NULL -- the last column
                ) COMMENT = $$multi
                line; comment$$;
                """);
        TableDef t = c.table("\"my db\"", "\"Sch ema\"", "\"T;1\"").orElseThrow();
        assertThat(t.columns()).containsExactly(new Column("col \"q\"", ColumnType.varchar(3), true),
                new Column("B", ColumnType.number(38, 0), false));
        assertThat(t.qualifiedName()).isEqualTo("\"my db\".\"Sch ema\".\"T;1\"");
    }

    // ------------------------------------------------------------------ errors

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE t (a INT|expected ',' or ')' in the column list but the statement ended",
            "CREATE TABLE t (a INT b INT)|unexpected 'b' in the definition of column A (a missing ',' between columns?)",
            "CREATE TABLE t (a INT NOT WHAT)|expected NULL after NOT",
            "CREATE TABLE t (a INT COMMENT 42)|expected a quoted comment",
            "CREATE TABLE t (a)|expected a column type",
            "CREATE TABLE t (a WIBBLE)|unknown column type 'WIBBLE'",
            "CREATE TABLE t (a NUMBER(40,2))|NUMBER precision 40 is out of range 1..38",
            "CREATE TABLE t (a NUMBER(5,6))|NUMBER scale 6 is out of range 0..5",
            "CREATE TABLE t (a VARCHAR(0))|VARCHAR length 0 is out of range",
            "CREATE TABLE t (a VARCHAR(x))|expected an integer type parameter for VARCHAR",
            "CREATE TABLE t (a INT(3))|INT takes no parameters",
            "CREATE TABLE t (a INT, a INT)|duplicate column name 'A'",
            "CREATE TABLE t ()|expected a column name",
            "CREATE TABLE t (a INT, PRIMARY KEY (b))|PRIMARY KEY names unknown column 'B'",
            "CREATE TABLE (a INT)|expected table name but found '('",
            "CREATE TABLE a.b.c.d (a INT)|table name has too many parts",
            "CREATE PIPE p AS COPY INTO missing FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))|Table 'D.S.MISSING' does not exist",
            "CREATE PIPE p AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')) MATCH_BY_COLUMN_NAME = SOMETIMES|MATCH_BY_COLUMN_NAME must be",
            "CREATE PIPE p AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'KAFKA'))|DATA_SOURCE TYPE must be 'STREAMING'",
            "CREATE PIPE p AS COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING') |expected ')' closing TABLE",
            "CREATE PIPE p AS COPY INTO t (a) FROM (SELECT $1:a, $1:b FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))|expecting 1 but got 2",
            "CREATE PIPE p AS COPY INTO t FROM (SELECT $1:a FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))|expecting 2 but got 1",
            "CREATE PIPE p AS COPY INTO t (zz) FROM (SELECT $1:a FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))|invalid identifier 'ZZ'",
            "CREATE PIPE p AS COPY INTO t (a, b) FROM (SELECT UPPER($1:a), $1:b FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))|only $1[:path][::TYPE] is modelled",
            "CREATE PIPE p AS COPY INTO t (a, b) FROM (SELECT $1:a + 1, $1:b FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING')))|only $1[:path][::TYPE] is modelled",
            "CREATE PIPE p AS COPY INTO t (a, b) FROM (SELECT $1:a, $1:b FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE|cannot be combined with a SELECT transform",
            "CREATE PIPE p COPY INTO t FROM TABLE(DATA_SOURCE(TYPE => 'STREAMING'))|expected AS but the statement ended",
            "ALTER USER u SET RSA_PUBLIC_KEY = 42|expected a quoted RSA public key",
            "USE DATABASE|expected database name but the statement ended",
            "CREATE DATABASE IF EXISTS x|expected NOT but found 'EXISTS'",
    })
    void syntaxErrorsNameTheLineAndTheProblem(String sql, String expected) {
        Catalog c = new Catalog();
        c.execute(SCHEMA + "CREATE TABLE t (a INT, b INT);");
        assertThatThrownBy(() -> c.execute("-- header\n" + sql))
                .isInstanceOf(SqlException.class)
                .hasMessageStartingWith("line 2: ")
                .hasMessageContaining(expected)
                .hasMessageContaining("in statement starting at line 2");
    }

    @Test
    void unqualifiedNameWithoutCurrentDatabaseIsAnError() {
        assertThatThrownBy(() -> new Catalog().execute("CREATE TABLE t (a INT)"))
                .isInstanceOf(SqlException.class).hasMessageContaining("no current database");
    }

    @Test
    void errorMessagesDoNotEchoStringLiterals() {
        Catalog c = new Catalog();
        assertThatThrownBy(() -> c.execute("ALTER USER u SET PASSWORD = 'hunter2' RSA_PUBLIC_KEY = 42"))
                .isInstanceOf(SqlException.class).message().doesNotContain("hunter2");
    }

    @Test
    void statementsBeforeAnErrorStayApplied() {
        Catalog c = new Catalog();
        assertThatThrownBy(() -> c.execute(SCHEMA + "CREATE TABLE ok (a INT);\nCREATE TABLE bad (a NOPE);\nCREATE TABLE never (a INT);"))
                .isInstanceOf(SqlException.class).hasMessageStartingWith("line 3: ");
        assertThat(c.tables()).extracting(TableDef::name).containsExactly("OK");
    }

    @Test
    void implicitDatabaseAndSchemaForQualifiedNames() {
        Catalog c = new Catalog();
        c.execute("CREATE TABLE x.y.z (a INT)");
        assertThat(c.table("X", "Y", "Z")).isPresent();
        c.execute("CREATE TABLE x..w (a INT)");
        assertThat(c.table("X", "PUBLIC", "W")).isPresent();
    }
}
