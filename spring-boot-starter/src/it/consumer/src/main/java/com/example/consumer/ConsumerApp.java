package com.example.consumer;

import io.snowpiperelay.spring.RelayConfigurationException;
import io.snowpiperelay.spring.SnowpipeRelay;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A user's application with nothing but the starter: the auto-configuration is found, a bad configuration is
 * reported naming the property, and a good one builds the relay. Exits non-zero on any surprise.
 */
@SpringBootApplication
public class ConsumerApp {

    public static void main(String[] args) throws Exception {
        check(ConsumerApp.class.getClassLoader().getResource("META-INF/spring-configuration-metadata.json") != null,
                "the starter ships its configuration metadata");

        // 1. No profile: the start fails, and Spring Boot's report names the property.
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        RelayConfigurationException failure = null;
        try {
            run("--snowpipe.relay.channels[0].name=TICKET_1");
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RelayConfigurationException r) {
                    failure = r;
                }
            }
        } finally {
            System.out.flush();
            System.setOut(original);
        }
        check(failure != null, "a missing profile fails the start with RelayConfigurationException");
        check(failure.property().equals("snowpipe.relay.profile.user"), "the failure names snowpipe.relay.profile.user,"
                + " not " + failure.property());
        check(captured.toString(StandardCharsets.UTF_8).contains("Property: snowpipe.relay.profile.user"),
                "the failure analyzer prints the property in APPLICATION FAILED TO START");

        // 2. A complete configuration builds the relay (not started: there is no Snowflake here).
        Path dir = Files.createTempDirectory("relay-consumer");
        try (ConfigurableApplicationContext context = run(
                "--snowpipe.relay.auto-startup=false",
                "--snowpipe.relay.profile.user=RELAY",
                "--snowpipe.relay.profile.account=ACME",
                "--snowpipe.relay.profile.url=http://127.0.0.1:9",
                "--snowpipe.relay.profile.private-key-env=CONSUMER_KEY",
                "--CONSUMER_KEY=" + newPrivateKeyPem(), // a real key: the profile parses it when loaded
                "--snowpipe.relay.channels[0].name=TICKET_1",
                "--snowpipe.relay.channels[0].table=SHOP.PUBLIC.TICKET",
                "--snowpipe.relay.channels[0].source=sqlite",
                "--snowpipe.relay.channels[0].sqlite.path=" + dir.resolve("outbox.db"),
                "--snowpipe.relay.channels[0].sqlite.stream=tickets")) {
            SnowpipeRelay relay = context.getBean(SnowpipeRelay.class);
            check(relay.group().states().containsKey("TICKET_1"), "the relay has channel TICKET_1");
        }

        // 3. Disabled: nothing is configured.
        try (ConfigurableApplicationContext context = run("--snowpipe.relay.enabled=false")) {
            check(context.getBeanNamesForType(SnowpipeRelay.class).length == 0, "enabled=false configures nothing");
        }
        System.out.println("relay-consumer: OK");
    }

    private static String newPrivateKeyPem() throws java.security.GeneralSecurityException {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static ConfigurableApplicationContext run(String... args) {
        SpringApplication app = new SpringApplication(ConsumerApp.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        return app.run(args);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.err.println("relay-consumer: FAILED: " + what);
            System.exit(1);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
