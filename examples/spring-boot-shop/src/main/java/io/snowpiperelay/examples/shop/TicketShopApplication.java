package io.snowpiperelay.examples.shop;

import io.snowpiperelay.testkit.SnowpipeEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ski-resort ticket shop: sells tickets over HTTP ({@code POST /tickets}) and records each sale in its
 * own {@code ticket} table and, in the same transaction, in the outbox the relay drains into Snowflake's
 * {@code RESORT_TICKET}. See {@code docs/spring-boot.md}.
 *
 * <p>{@code java -jar ticket-shop.jar} runs against an embedded Snowpipe Streaming emulator (with
 * {@code docs/snowflake-setup.sql} loaded) and sells a few demo tickets. With the environment variable
 * {@code SNOWPIPE_PROFILE} naming a real profile.json it talks to Snowflake instead.
 */
@SpringBootApplication
public class TicketShopApplication {
    /** The environment variable (or system property) naming the SDK profile; unset means the embedded emulator. */
    public static final String PROFILE_VARIABLE = "SNOWPIPE_PROFILE";

    /**
     * Starts the shop; without {@value #PROFILE_VARIABLE}, first an embedded emulator whose profile the relay
     * then reads.
     *
     * @param args Spring Boot's command line, e.g. {@code --shop.demo.tickets=0}
     */
    public static void main(String[] args) {
        if (System.getenv(PROFILE_VARIABLE) == null && System.getProperty(PROFILE_VARIABLE) == null) {
            SnowpipeEmulator emulator = startEmulator();
            Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "ticket-shop-emulator-shutdown"));
            System.setProperty(PROFILE_VARIABLE, writeProfile(emulator).toString());
        }
        SpringApplication.run(TicketShopApplication.class, args);
    }

    /** An emulator with the example's database, schema, tables and pipes. */
    public static SnowpipeEmulator startEmulator() {
        try (InputStream in = TicketShopApplication.class.getResourceAsStream("snowflake-setup.sql")) {
            if (in == null) {
                throw new IllegalStateException("snowflake-setup.sql is missing from the jar; rebuild it");
            }
            return SnowpipeEmulator.builder().sql(new String(in.readAllBytes(), StandardCharsets.UTF_8)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the emulator's profile.json (it holds a generated test key) to a private temporary file. */
    public static Path writeProfile(SnowpipeEmulator emulator) {
        try {
            Path file = Files.createTempFile("ticket-shop-profile", ".json");
            file.toFile().deleteOnExit();
            emulator.writeProfile(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
