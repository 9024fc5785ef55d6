package io.snowpiperelay.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.RunnerConfig;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The configuration metadata (what IDEs complete) matches the properties and RunnerConfig's defaults, and
 * docs/spring-boot.md matches the metadata and shows the example's application.yml as it is.
 */
class SpringBootDocsTest {
    private static final Path DOC = Path.of("..", "docs", "spring-boot.md");
    private static final Path EXAMPLE_YML = Path.of("..", "examples", "spring-boot-shop", "src", "main", "resources",
            "application.yml");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\[\\]-]+)` \\| (`([^`]*)`)? *\\|", Pattern.MULTILINE);

    private static JsonNode metadata() throws Exception {
        try (InputStream in = SpringBootDocsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /** Property name to default value ("" when none), from the metadata. */
    private static Map<String, String> metadataDefaults() throws Exception {
        Map<String, String> map = new TreeMap<>();
        for (JsonNode p : metadata().get("properties")) {
            map.put(p.get("name").asText(), p.has("defaultValue") ? p.get("defaultValue").asText() : "");
        }
        return map;
    }

    @Test
    void everyRunnerConfigDefaultIsARunnerPropertyWithTheSameDefaultInTheMetadata() throws Exception {
        Map<String, String> defaults = metadataDefaults();
        SnowpipeRelayProperties.Runner bound = new SnowpipeRelayProperties.Runner();
        int checked = 0;
        for (Field f : RunnerConfig.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !f.getName().startsWith("DEFAULT_")) {
                continue;
            }
            String camel = toCamel(f.getName().substring("DEFAULT_".length()));
            String name = "snowpipe.relay.runner." + SnowpipeRelayFactory.kebab(camel);
            assertThat(defaults).as("metadata of %s", f.getName()).containsKey(name);
            String metadataDefault = defaults.get(name);
            assertThat(metadataDefault).as("default of %s in the metadata", name).isNotEmpty();
            // The metadata's text, bound as Spring binds application.yml, equals the constant.
            Object constant = f.get(null);
            Object parsed = new Binder(new MapConfigurationPropertySource(Map.of("x", metadataDefault)))
                    .bind("x", Bindable.of(constant.getClass())).get();
            assertThat(parsed).as("metadata default of %s", name).isEqualTo(constant);
            // And the properties object starts at the constant (what the relay uses when nothing is set).
            PropertyDescriptor pd = new PropertyDescriptor(camel, SnowpipeRelayProperties.Runner.class);
            assertThat(pd.getReadMethod().invoke(bound)).as("initial value of %s", name).isEqualTo(constant);
            checked++;
        }
        assertThat(checked).isEqualTo(22);
        assertThat(defaults.keySet().stream().filter(k -> k.startsWith("snowpipe.relay.runner.")).count())
                .isEqualTo(checked);
    }

    @Test
    void everyRelayFleetTimingDefaultIsAFleetPropertyWithTheSameDefaultInTheMetadata() throws Exception {
        Map<String, String> defaults = metadataDefaults();
        SnowpipeRelayProperties.Fleet bound = new SnowpipeRelayProperties.Fleet();
        int checked = 0;
        for (Field f : io.snowpiperelay.postgres.RelayFleet.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || !f.getName().startsWith("DEFAULT_")) {
                continue;
            }
            String camel = toCamel(f.getName().substring("DEFAULT_".length()));
            String name = "snowpipe.relay.fleet." + SnowpipeRelayFactory.kebab(camel);
            assertThat(defaults).as("metadata of %s", f.getName()).containsKey(name);
            Object constant = f.get(null);
            Object parsed = new Binder(new MapConfigurationPropertySource(Map.of("x", defaults.get(name))))
                    .bind("x", Bindable.of(constant.getClass())).get();
            assertThat(parsed).as("metadata default of %s", name).isEqualTo(constant);
            PropertyDescriptor pd = new PropertyDescriptor(camel, SnowpipeRelayProperties.Fleet.class);
            assertThat(pd.getReadMethod().invoke(bound)).as("initial value of %s", name).isEqualTo(constant);
            checked++;
        }
        assertThat(checked).isEqualTo(3);
        assertThat(defaults).containsEntry("snowpipe.relay.fleet.enabled", "false");
        assertThat(new SnowpipeRelayProperties.Postgres().getPartitions())
                .isEqualTo(io.snowpiperelay.postgres.PostgresOutboxConfig.DEFAULT_PARTITIONS);
    }

    private static String toCamel(String upperSnake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : upperSnake.toLowerCase().toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    @Test
    void docsPropertiesTableIsTheMetadata() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Map<String, String> documented = new TreeMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            if (!m.group(1).contains("[")) {
                documented.put(m.group(1), m.group(3) == null ? "" : m.group(3));
            }
        }
        assertThat(documented).isEqualTo(metadataDefaults());
    }

    @Test
    void docsChannelTableListsEveryChannelProperty() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        TreeSet<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            if (m.group(1).startsWith("snowpipe.relay.channels[n].")) {
                documented.add(m.group(1).substring("snowpipe.relay.channels[n].".length()));
            }
        }
        TreeSet<String> actual = new TreeSet<>();
        collect("", SnowpipeRelayProperties.Channel.class, actual);
        assertThat(documented).isEqualTo(actual);
    }

    private static void collect(String prefix, Class<?> type, TreeSet<String> into) throws Exception {
        for (PropertyDescriptor pd : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
            String name = prefix + SnowpipeRelayFactory.kebab(pd.getName());
            if (pd.getWriteMethod() != null) {
                into.add(name);
            } else if (pd.getPropertyType().getName().startsWith("io.snowpiperelay.spring")) {
                collect(name + ".", pd.getPropertyType(), into);
            }
        }
    }

    @Test
    void docsShowTheExampleApplicationYmlAsItIs() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String yml = Files.readString(EXAMPLE_YML, StandardCharsets.UTF_8);
        assertThat(doc).contains("```yaml\n" + yml + "```");
    }
}
