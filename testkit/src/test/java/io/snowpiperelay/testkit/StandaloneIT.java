package io.snowpiperelay.testkit;

import static io.snowpiperelay.testkit.TestSupport.awaitCommitted;
import static io.snowpiperelay.testkit.TestSupport.rides;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestChannel;
import com.snowflake.ingest.streaming.SnowflakeStreamingIngestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar: prints the URL, writes a profile the SDK can use, serves until killed, SQL idempotent on restart. */
class StandaloneIT {

    private static final Path JAR = Path.of("target", "snowpipe-emulator.jar");
    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    @Test
    void runnableJarServesTheSdkAndKeepsItsStore() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        Path sql = dir.resolve("setup.sql");
        Files.writeString(sql, TestSupport.SETUP_SQL);
        Path store = dir.resolve("emulator.db");
        Path profile = dir.resolve("profile.json");

        for (int run = 1; run <= 2; run++) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    JAR.toString(), "--port", "0", "--store", store.toString(), "--sql", sql.toString(),
                    "--commit-lag", "100", "--profile-out", profile.toString())
                    .redirectError(dir.resolve("stderr-" + run + ".log").toFile()).start();
            try {
                String url = readUrl(process);
                JsonNode json = new ObjectMapper().readTree(profile.toFile());
                assertThat(json.get("url").asText()).isEqualTo(url);
                assertThat(json.get("private_key").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
                assertThat(json.get("max_buffered_kb_for_rowset_mode").asText()).isEqualTo("1000000");
                Properties props = new Properties();
                json.fields().forEachRemaining(e -> props.setProperty(e.getKey(), e.getValue().asText()));
                try (SnowflakeStreamingIngestClient client = TestSupport.client(props, "DB", "PUBLIC", "LIFT_RIDE_PIPE")) {
                    SnowflakeStreamingIngestChannel channel = client.openChannel("standalone", null).getChannel();
                    long first = (run - 1) * 100L + 1;
                    if (run == 2) {
                        assertThat(channel.getLatestCommittedOffsetToken()).isEqualTo("100");
                    }
                    channel.appendRows(rides(first, 100), String.valueOf(first), String.valueOf(first + 99));
                    awaitCommitted(channel, String.valueOf(first + 99));
                    channel.close();
                }
            } finally {
                process.destroy();
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store)) {
            assertThat(single(c, "SELECT COUNT(*) FROM LIFT_RIDE")).isEqualTo(200);
            assertThat(single(c, "SELECT COUNT(*) FROM _emulator_sql")).isEqualTo(1);
        }
        String help = new String(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "--help").redirectErrorStream(true).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help).contains("--port", "--store", "--sql", "--commit-lag", "--account", "--user", "--profile-out");
    }

    private static String readUrl(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            Matcher m = URL.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("the emulator did not print its URL");
    }

    private static long single(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
