package io.snowpiperelay.guarantees.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.examples.cli.SetupSql;
import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.TreeSet;

/** Emulators loaded with {@code docs/snowflake-setup.sql}, and SDK profiles for them. */
public final class Emulators {
    /** The database of the ski-resort pipes. */
    public static final String DATABASE = SetupSql.DATABASE;
    /** The schema of the ski-resort pipes. */
    public static final String SCHEMA = SetupSql.SCHEMA;

    private Emulators() {
    }

    /** An emulator on 127.0.0.1:0 with the ski-resort objects; {@code store} null for in memory. */
    public static SnowpipeEmulator skiResort(Path store, Duration commitLag) {
        SnowpipeEmulator.Builder b = SnowpipeEmulator.builder().port(0).commitLag(commitLag).sql(SetupSql.text());
        if (store != null) {
            b.store(store);
        }
        return b.start();
    }

    /** The emulator's client properties (with the emulator-safe SDK settings) as a {@link ClientProfile}. */
    public static ClientProfile profile(SnowpipeEmulator emulator) {
        return ClientProfile.fromProperties(emulator.clientProperties());
    }

    /** Writes {@code properties} as a {@code profile.json} to {@code file} and returns the file. */
    public static Path writeProfile(Properties properties, Path file) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            node.put(name, properties.getProperty(name));
        }
        try {
            Files.writeString(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
