package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must list every RunnerConfig setting with its current default. */
class ConfigurationDocTest {

    static String camel(String constant) {
        String[] parts = constant.substring("DEFAULT_".length()).toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    /** How the doc writes a default: 250 ms, 30 s, 5 min, 2000, DEAD_LETTER. */
    static String render(Object value) {
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            if (ms % 60_000 == 0 && ms > 0) {
                return (ms / 60_000) + " min";
            }
            if (ms % 1_000 == 0 && ms > 0) {
                return (ms / 1_000) + " s";
            }
            return ms + " ms";
        }
        return String.valueOf(value);
    }

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);
        List<String> missing = new ArrayList<>();
        int settings = 0;
        for (Field f : RunnerConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith("DEFAULT_")) {
                settings++;
                String row = "| `" + camel(f.getName()) + "` | " + render(f.get(null)) + " |";
                if (!text.contains(row)) {
                    missing.add(row);
                }
                // the setting exists on the builder under that name
                assertThat(RunnerConfig.Builder.class.getMethods()).extracting(m -> m.getName())
                        .contains(camel(f.getName()));
            }
        }
        assertThat(settings).isEqualTo(22);
        assertThat(missing).as("rows missing from docs/configuration.md").isEmpty();
    }
}
