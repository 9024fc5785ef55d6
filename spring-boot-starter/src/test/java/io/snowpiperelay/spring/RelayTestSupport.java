package io.snowpiperelay.spring;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** The emulator and the properties that point a relay at it, for the starter's tests. */
final class RelayTestSupport {
    /** Where the tests' relays read the private key: a property standing in for an environment variable. */
    static final String KEY_VARIABLE = "RELAY_TEST_PRIVATE_KEY";

    static final String SQL = """
            CREATE DATABASE IF NOT EXISTS SHOP;
            CREATE SCHEMA IF NOT EXISTS SHOP.PUBLIC;
            CREATE TABLE IF NOT EXISTS SHOP.PUBLIC.TICKET (ID NUMBER(38,0) NOT NULL, V VARCHAR(32));
            CREATE TABLE IF NOT EXISTS SHOP.PUBLIC.PASS (ID NUMBER(38,0) NOT NULL, V VARCHAR(32));
            """;

    private RelayTestSupport() {
    }

    static SnowpipeEmulator startEmulator() {
        return SnowpipeEmulator.builder().sql(SQL).commitLag(Duration.ofMillis(100)).start();
    }

    /** The profile as fields, the key from {@link #KEY_VARIABLE}, fast polling. */
    static Map<String, String> profileProperties(SnowpipeEmulator emulator) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("snowpipe.relay.profile.user", emulator.user());
        p.put("snowpipe.relay.profile.account", emulator.account());
        p.put("snowpipe.relay.profile.url", emulator.url());
        p.put("snowpipe.relay.profile.role", SnowpipeEmulator.DEFAULT_ROLE);
        p.put("snowpipe.relay.profile.private-key-env", KEY_VARIABLE);
        SnowpipeEmulator.EMULATOR_SAFE_SDK_PROPERTIES.forEach((k, v) -> p.put("snowpipe.relay.profile.properties." + k, v));
        p.put("snowpipe.relay.runner.commit-poll-interval", "100ms");
        p.put("snowpipe.relay.runner.idle-backoff-max", "50ms");
        return p;
    }

    /** One channel on TICKET from stream {@code tickets} of {@code outbox}. */
    static Map<String, String> ticketChannel(int index, String name, Path outbox) {
        String at = "snowpipe.relay.channels[" + index + "].";
        Map<String, String> p = new LinkedHashMap<>();
        p.put(at + "name", name);
        p.put(at + "table", "SHOP.PUBLIC.TICKET");
        p.put(at + "source", "sqlite");
        p.put(at + "sqlite.path", outbox.toString());
        p.put(at + "sqlite.stream", "tickets");
        return p;
    }

    /** Puts the private key where {@code private-key-env} looks, as the environment would. */
    static void putKey(ConfigurableApplicationContext context, SnowpipeEmulator emulator) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-environment",
                Map.of(KEY_VARIABLE, emulator.privateKeyPem())));
    }

    /** A line from the middle of the PEM's body: if it shows anywhere, the key leaked. */
    static String keyFragment(SnowpipeEmulator emulator) {
        String[] lines = emulator.privateKeyPem().split("\n");
        return lines[lines.length / 2].trim();
    }

    static String[] asPairs(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
