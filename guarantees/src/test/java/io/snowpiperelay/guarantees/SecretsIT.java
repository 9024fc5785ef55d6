package io.snowpiperelay.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.ClientProfile;
import io.snowpiperelay.ExactlyOnceChannelRunner;
import io.snowpiperelay.RunnerConfig;
import io.snowpiperelay.RunnerState;
import io.snowpiperelay.examples.generator.SkiTable;
import io.snowpiperelay.guarantees.harness.Emulators;
import io.snowpiperelay.guarantees.harness.InProcessRelay;
import io.snowpiperelay.guarantees.harness.Keys;
import io.snowpiperelay.guarantees.harness.Markers;
import io.snowpiperelay.guarantees.harness.RecordingListener;
import io.snowpiperelay.guarantees.harness.RelayMain;
import io.snowpiperelay.guarantees.harness.RelayProcess;
import io.snowpiperelay.guarantees.harness.Rides;
import io.snowpiperelay.sqlite.SqliteOffsetSource;
import io.snowpiperelay.testkit.Endpoint;
import io.snowpiperelay.testkit.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret leaks: a full relay (separate JVM, DEBUG logging for every logger, the SDK's native core at debug too)
 * that relays rows with the right key and then fails with a wrong one; afterwards neither the log file, stdout,
 * stderr (stack traces included), exception messages nor {@code toString()} of the configuration objects contain
 * private key material or a JWT / scoped token the relay sent.
 */
class SecretsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private InProcessRelay relay;

    @BeforeEach
    void start() {
        relay = new InProcessRelay(dir, Duration.ofMillis(150));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Path debugLogConfig(Path logFile) throws Exception {
        Path config = dir.resolve("logback-debug.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d %%-5level [%%thread] %%logger - %%msg%%n%%ex</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(logFile));
        return config;
    }

    @Test
    void noKeyMaterialNorTokenAppearsInLogsErrorsOrToString() throws Exception {
        Path logFile = dir.resolve("relay-debug.log");
        Path stderr = dir.resolve("relay.stderr");
        List<String> jvm = List.of("-Dlogback.configurationFile=" + debugLogConfig(logFile));
        Map<String, String> env = Map.of("SS_LOG_LEVEL", "debug");
        for (SkiTable t : SkiTable.values()) {
            relay.outbox.pendingCount(t.streamName());
        }
        Rides.append(relay.outbox, Rides.STREAM, "s", 0, 200);
        String goodKey = relay.emulator.privateKeyPem();
        String wrongKey = Keys.newPrivateKeyPem();
        List<String> stdout = new ArrayList<>();

        // 1. A working relay: tokens are issued and used.
        Path goodProfile = Emulators.writeProfile(relay.emulator.clientProperties(), dir.resolve("good.json"));
        try (RelayProcess p = RelayProcess.start(stderr, RelayMain.class, jvm, env, "--outbox",
                dir.resolve("outbox.db").toString(), "--profile", goodProfile.toString(), "--channel-prefix", "S")) {
            p.awaitLine(Markers.READY, TIMEOUT);
            Awaitility.await().atMost(TIMEOUT).until(() -> relay.count("LIFT_RIDE") >= 200
                    && relay.outbox.pendingCount(Rides.STREAM) == 0);
            assertThat(p.stopGracefully(TIMEOUT)).isZero();
            stdout.addAll(p.transcript());
        }
        // 2. The same relay with a key the service does not know: authentication fails.
        Properties wrong = relay.emulator.clientProperties();
        wrong.setProperty("private_key", wrongKey);
        Path wrongProfile = Emulators.writeProfile(wrong, dir.resolve("wrong.json"));
        Rides.append(relay.outbox, Rides.STREAM, "t", 0, 10);
        try (RelayProcess p = RelayProcess.start(stderr, RelayMain.class, jvm, env, "--outbox",
                dir.resolve("outbox.db").toString(), "--profile", wrongProfile.toString(), "--channel-prefix", "S")) {
            String fatal = p.awaitLine(l -> l.startsWith(Markers.FATAL), Markers.FATAL, Duration.ofMinutes(2));
            assertThat(fatal).contains("RelayHaltedException").contains("authentication or authorisation failed");
            assertThat(p.stopGracefully(TIMEOUT)).isEqualTo(2);
            stdout.addAll(p.transcript());
        }

        Set<String> secrets = secrets(goodKey, wrongKey);
        assertThat(secrets).as("tokens seen by the emulator")
                .anyMatch(s -> s.startsWith("key-pair JWT:"))
                .anyMatch(s -> s.startsWith("scoped token:"));
        String debugLog = Files.readString(logFile, StandardCharsets.UTF_8);
        assertThat(debugLog).as("DEBUG was on").contains(" DEBUG ").contains("io.snowpiperelay")
                .contains("RelayHaltedException");
        String stderrText = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(stderrText).as("the fatal error's stack trace").contains("RelayHaltedException");

        // 3. In-process: exception messages, stack traces and toString() of the configuration objects.
        List<String> inProcess = new ArrayList<>();
        ClientProfile goodProfileObject = ClientProfile.fromProperties(relay.emulator.clientProperties());
        inProcess.add(goodProfileObject.toString());
        inProcess.add(ClientProfile.fromProperties(wrong).toString());
        inProcess.add(RunnerConfig.defaults().toString());
        SqliteOffsetSource source = relay.source("SECRETS");
        relay.outbox.append("SECRETS", Rides.ride("x"));
        ExactlyOnceChannelRunner failing = relay.start(ExactlyOnceChannelRunner.builder()
                .profile(ClientProfile.fromProperties(wrong)).pipe(InProcessRelay.pipe("LIFT_RIDE_PIPE"))
                .channelName("SECRETS").source(source).listener(new RecordingListener()).build());
        inProcess.add(failing.toString());
        InProcessRelay.awaitTerminal(failing, Duration.ofMinutes(2));
        assertThat(failing.state()).isEqualTo(RunnerState.FAILED);
        StringWriter trace = new StringWriter();
        failing.failure().get().printStackTrace(new PrintWriter(trace));
        inProcess.add(trace.toString());
        inProcess.add(failing.toString());

        Map<String, String> places = Map.of("debug log", debugLog, "stderr", stderrText,
                "stdout", String.join("\n", stdout), "in-process strings", String.join("\n", inProcess));
        for (Map.Entry<String, String> place : places.entrySet()) {
            for (String secret : secrets) {
                String value = secret.substring(secret.indexOf(':') + 1);
                assertThat(place.getValue().contains(value))
                        .as("%s contains %s (%s...)", place.getKey(), secret.substring(0, secret.indexOf(':')),
                                value.substring(0, 12))
                        .isFalse();
            }
        }
    }

    /**
     * Kind-prefixed secret strings: every PEM body line of both private keys and their whole base64 bodies, and every
     * token the relay sent (the key-pair JWT, its signature, and the scoped token), from the emulator's recorded
     * requests.
     */
    private Set<String> secrets(String... privateKeys) throws InterruptedException {
        Set<String> secrets = new LinkedHashSet<>();
        for (String pem : privateKeys) {
            StringBuilder body = new StringBuilder();
            for (String line : pem.split("\n")) {
                if (!line.startsWith("-----") && !line.isBlank()) {
                    secrets.add("PEM line:" + line.trim());
                    body.append(line.trim());
                }
            }
            secrets.add("PEM body:" + body);
        }
        RecordedRequest r;
        java.util.regex.Pattern jwt = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,}");
        while ((r = relay.emulator.takeRequest(Duration.ZERO)) != null) {
            String auth = r.header("Authorization");
            String text = (auth == null ? "" : auth) + " " + (r.endpoint() == Endpoint.TOKEN ? r.bodyUtf8() : "");
            java.util.regex.Matcher m = jwt.matcher(text);
            while (m.find()) {
                String token = m.group();
                String header = new String(java.util.Base64.getUrlDecoder().decode(
                        token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
                String kind = header.contains("RS256") ? "key-pair JWT" : "scoped token";
                secrets.add(kind + ":" + token);
                secrets.add(kind + " signature:" + token.substring(token.lastIndexOf('.') + 1));
            }
        }
        return secrets;
    }
}
