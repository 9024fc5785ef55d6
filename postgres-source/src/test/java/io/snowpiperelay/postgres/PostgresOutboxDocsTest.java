package io.snowpiperelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.postgres.internal.OutboxTables;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Keeps {@code docs/postgres-outbox.md} in step with the code: the DDL it shows and the configuration reference. */
class PostgresOutboxDocsTest {

    /** Surefire runs in the module directory; the docs live at the repository root. */
    private static final Path DOC = Path.of("..", "docs", "postgres-outbox.md");

    @Test
    void theDocumentedDdlIsTheDdlTheOutboxRuns() throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```sql\nCREATE TABLE IF NOT EXISTS \"public\".\"snowpipe_outbox\" (");
        assertThat(start).as("the schema's SQL block").isNotNegative();
        String block = doc.substring(start + "```sql\n".length(), doc.indexOf("```", start + 6));
        List<String> documented = Arrays.stream(normalized(block).split(";")).map(String::strip)
                .filter(statement -> !statement.isEmpty()).toList();
        List<String> executed = Arrays.stream(new OutboxTables(PostgresOutboxConfig.defaults()).createStatements())
                .map(PostgresOutboxDocsTest::normalized).toList();
        assertThat(documented).isEqualTo(executed);
    }

    @Test
    void everyConfigDefaultAndBuilderMethodIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (Field field : PostgresOutboxConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().startsWith("DEFAULT_")) {
                assertThat(doc).as("docs mention %s", field.getName()).contains("`" + field.getName() + "`");
            }
        }
        for (Method method : PostgresOutboxConfig.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !method.getName().equals("build")) {
                assertThat(doc).as("docs have a row for %s", method.getName())
                        .contains("| `" + method.getName() + "` |");
            }
        }
    }

    /** Without SQL comments, with single spaces, and no space just inside parentheses. */
    private static String normalized(String sql) {
        return sql.replaceAll("--[^\\n]*", " ").replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")")
                .strip();
    }
}
