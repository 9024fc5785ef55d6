package io.snowpiperelay.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snowpiperelay.examples.SkiResort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code relay} tells an operator when the profile is wrong or the service cannot be reached (issue 21, items
 * 1-3): the command's output and exit code, each failure said once.
 */
class RelayFailuresIT {
    @TempDir
    Path dir;

    private Path outbox;
    private String pem;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine commandLine = SkiResort.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(args), out.toString(), err.toString());
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @BeforeEach
    void outboxAndKey() throws Exception {
        SkiResort.quietNativeLog();
        outbox = dir.resolve("outbox.db");
        Result generated = run("generate", "--outbox", outbox.toString(), "--rows", "60", "--seed", "21");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private Path profile(String url, String key) throws Exception {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("user", "LOADER").put("account", "myorg-acct1").put("url", url).put("private_key", key);
        Path file = dir.resolve("profile.json");
        Files.writeString(file, node.toPrettyString());
        return file;
    }

    private Result relay(Path profile, String... more) {
        String[] base = {"relay", "--outbox", outbox.toString(), "--profile", profile.toString()};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    @Test
    void aMissingProfileIsNamedWithItsAbsolutePath() {
        Result r = relay(Path.of("nope.json"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: client profile: file not found: "
                + Path.of("nope.json").toAbsolutePath());
        assertThat(occurrences(r.err(), "file not found")).isEqualTo(1);
    }

    @Test
    void aCorruptKeyIsNamedOnceWithItsLineAndNeverQuoted() throws Exception {
        String[] lines = pem.split("\n");
        String secret = lines[2].substring(0, 20);
        lines[2] = lines[2].substring(0, 20) + "typo!" + lines[2].substring(25);
        Path profile = profile("https://myorg-acct1.snowflakecomputing.com", String.join("\n", lines));
        Result r = relay(profile, "--until-drained");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("client profile " + profile.toAbsolutePath()
                + ": private_key, line 3: not base64; the key is damaged");
        assertThat(occurrences(r.err() + r.out(), "not base64")).as("said once").isEqualTo(1);
        assertThat(r.err() + r.out()).doesNotContain(secret).doesNotContain("AuthTokenError");
    }

    @Test
    void aTruncatedProfileSaysWhereAndSeveralWrongKeysAreListedTogether() throws Exception {
        Path profile = dir.resolve("truncated.json");
        Files.writeString(profile, "{\n  \"user\": \"LOADER\",\n  \"account\": \"acc");
        Result truncated = relay(profile);
        assertThat(truncated.exitCode()).isEqualTo(1);
        assertThat(truncated.err()).contains("is not valid JSON at line 3, column ");

        Files.writeString(profile, "{\"usr\": \"LOADER\", \"acount\": \"a\", \"private_key\": \"x\"}");
        Result wrong = relay(profile);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("has 5 problems:")
                .contains("user = <missing>").contains("account = <missing>")
                .contains("private_key is not a PEM key")
                .contains("unknown key 'usr'; accepted keys: ").contains("unknown key 'acount'");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anUnreachableServiceIsNamedWithinSecondsAndTheCommandEndsOnTime() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        Path profile = profile(url, pem);
        long start = System.nanoTime();
        Result r = relay(profile, "--until-drained", "--timeout", "10s");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach the service at " + url + " since ")
                .contains(": connection refused by 127.0.0.1:" + closedPort)
                .contains("not drained after PT10S");
        assertThat(occurrences(r.err(), "cannot reach the service")).as("once within the 30 s repeat").isEqualTo(1);
        // Before: close() waited the close timeout per channel and then hung on the client still being built.
        assertThat(took).as("relay ends soon after its --timeout").isLessThan(Duration.ofSeconds(25));
        assertThat(r.out()).contains("Relaying " + outbox.toAbsolutePath().normalize().toString().substring(0, 1));
    }
}
