package io.snowpiperelay.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.sqlite.internal.OutboxSql;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/sqlite-outbox.md} in step with the code: configuration reference and schema. */
class OutboxDocsTest {

    /** Surefire runs in the module directory; the docs live at the repository root. */
    private static final Path DOC = Path.of("..", "docs", "sqlite-outbox.md");

    private String doc;

    @BeforeEach
    void read() throws Exception {
        // Alignment spaces in the doc's SQL are not significant.
        doc = Files.readString(DOC).replaceAll("[ \\t]+", " ");
    }

    @Test
    void everyConfigDefaultAndBuilderMethodIsDocumented() {
        for (Field field : OutboxConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().startsWith("DEFAULT_")) {
                assertThat(doc).as("docs mention %s", field.getName()).contains("`" + field.getName());
            }
        }
        for (Method method : OutboxConfig.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !method.getName().equals("build")) {
                assertThat(doc).as("docs have a row for %s", method.getName()).contains("| `" + method.getName() + "` |");
            }
        }
        for (SynchronousMode mode : SynchronousMode.values()) {
            assertThat(doc).contains("| `" + mode.name() + "`");
        }
    }

    @Test
    void documentedSchemaMatchesTheDdl() {
        assertColumnsDocumented(OutboxSql.createStreamTable("S"));
        assertColumnsDocumented(OutboxSql.CREATE_DEAD_LETTER_TABLE);
        assertThat(doc).contains("CREATE TABLE IF NOT EXISTS \"outbox_S\" (")
                .contains("CREATE TABLE IF NOT EXISTS " + OutboxSql.DEAD_LETTER_TABLE + " (");
    }

    private void assertColumnsDocumented(String ddl) {
        String columns = ddl.substring(ddl.indexOf('(') + 1, ddl.lastIndexOf(')'));
        Arrays.stream(columns.split(", (?=[a-zA-Z\"])")).forEach(column ->
                assertThat(doc).as("docs show column definition: %s", column).contains(column));
    }
}
