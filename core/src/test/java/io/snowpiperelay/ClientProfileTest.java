package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientProfileTest {
    private static final String PEM = newPem();
    private static final String BODY_START = PEM.split("\n")[1].substring(0, 12);

    private static String newPem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsSnowflakesProfileJsonAndPassesExtraPropertiesThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, """
                {
                  "user": "LOADER",
                  "account": "myorg-acct1",
                  "url": "https://myorg-acct1.snowflakecomputing.com:443",
                  "private_key": "%s",
                  "role": "INGEST",
                  "max_buffered_kb_for_rowset_mode": 1000000,
                  "authenticator": "snowflake_jwt"
                }""".formatted(PEM.replace("\n", "\\n")));

        ClientProfile p = ClientProfile.fromJsonFile(file);

        assertThat(p.user()).isEqualTo("LOADER");
        assertThat(p.account()).isEqualTo("myorg-acct1");
        assertThat(p.role()).isEqualTo("INGEST");
        Properties props = p.toProperties();
        assertThat(props.getProperty("private_key")).isEqualTo(PEM);
        assertThat(props.getProperty("url")).isEqualTo("https://myorg-acct1.snowflakecomputing.com:443");
        assertThat(props.getProperty("max_buffered_kb_for_rowset_mode")).isEqualTo("1000000");
    }

    @Test
    void toStringMasksTheKeyAndOtherSecrets() {
        ClientProfile p = ClientProfile.builder().user("u").account("a").privateKey(PEM)
                .property("oauth_client_secret", "s3cr3t").property("oauth_refresh_token", "pw").build();
        assertThat(p.toString()).doesNotContain(BODY_START).doesNotContain("s3cr3t").doesNotContain("=pw")
                .contains("private_key=<masked>").contains("user=u");
    }

    @Test
    void fromPropertiesRequiresUserAccountAndAKey(@TempDir Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "u");
        props.setProperty("account", "a");
        assertThatThrownBy(() -> ClientProfile.fromProperties(props)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private_key");
        Path keyFile = dir.resolve("rsa_key.p8");
        Files.writeString(keyFile, PEM);
        props.setProperty("private_key_file", keyFile.toString());
        ClientProfile p = ClientProfile.fromProperties(props);
        assertThat(p.toString()).contains("private_key_file=" + keyFile);
        assertThatThrownBy(() -> ClientProfile.builder().account("a").privateKey(PEM).build())
                .hasMessage("client profile: user = <missing>; it is required");
    }

    @Test
    void aBrokenFileNeverEchoesItsContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, "{\"private_key\": \"MIIEsecret");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file)).hasMessageNotContaining("MIIEsecret");
        Files.writeString(file, "[1]");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- issue 21, item 3: profile errors

    @Test
    void aMissingFileIsNamedWithItsAbsolutePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(dir.relativize(missing)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("client profile: file not found: " + Path.of("nope.json").toAbsolutePath());
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(missing))
                .hasMessageStartingWith("client profile: file not found: " + missing);
    }

    @Test
    void aTruncatedFileSaysWhereTheJsonBreaks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, "{\n  \"user\": \"LOADER\",\n  \"private_key\": \"MIIEsecret");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("client profile " + file + " is not valid JSON at line 3, column ")
                .hasMessageContaining("the file ends early")
                .hasMessageNotContaining("MIIEsecret");
        Files.writeString(file, "{\n  \"user\": \"LOADER\"\n  \"account\": \"a\"\n}");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file))
                .hasMessageStartingWith("client profile " + file + " is not valid JSON at line 3, column 3");
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheAcceptedKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, "{\"user\": \"LOADER\", \"acount\": \"myorg-acct1\", \"private_key\": \""
                + PEM.replace("\n", "\\n") + "\"}");
        assertThatThrownBy(() -> ClientProfile.fromJsonFile(file))
                .hasMessageStartingWith("client profile " + file + " has 2 problems:")
                .hasMessageContaining("\n  - account = <missing>; it is required")
                .hasMessageContaining("\n  - unknown key 'acount'; accepted keys: account, ")
                .hasMessageContaining("private_key, private_key_file")
                .hasMessageNotContaining(BODY_START);
    }

    // ---------------------------------------------------------------- issue 21, item 2: the key is read at load

    private static ClientProfile withKey(String pem) {
        return ClientProfile.builder().user("u").account("a").privateKey(pem).build();
    }

    @Test
    void aKeyWithGarbageTypedIntoItNamesTheLineAndNeverQuotesIt() {
        List<String> lines = new java.util.ArrayList<>(List.of(PEM.split("\n")));
        lines.set(4, lines.get(4).substring(0, 20) + "oops! " + lines.get(4).substring(26));
        String damaged = String.join("\n", lines);
        assertThatThrownBy(() -> withKey(damaged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client profile: private_key, line 5: not base64; the key is damaged (its text was"
                        + " changed). Copy the key file again");
    }

    @Test
    void aKeyWhoseBase64WasChangedIsNotAPkcs8Key() {
        List<String> lines = new java.util.ArrayList<>(List.of(PEM.split("\n")));
        lines.set(3, "A".repeat(lines.get(3).length()));
        lines.set(1, "A".repeat(lines.get(1).length()));
        assertThatThrownBy(() -> withKey(String.join("\n", lines)))
                .hasMessageContaining("not a PKCS#8 RSA key").hasMessageNotContaining(BODY_START);
    }

    @Test
    void anEncryptedKeyOrAPkcs1KeyOrNoPemAtAllIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> withKey(PEM.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY")))
                .hasMessageContaining("is an encrypted key (BEGIN ENCRYPTED PRIVATE KEY, line 1)")
                .hasMessageContaining("the SDK takes no passphrase");
        assertThatThrownBy(() -> withKey(PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY")))
                .hasMessageContaining("is not a PKCS#8 key: it starts with BEGIN RSA PRIVATE KEY")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> withKey("not a key"))
                .hasMessageContaining("is not a PEM key").hasMessageNotContaining("not a key'");
        assertThatThrownBy(() -> withKey(PEM.substring(0, PEM.indexOf("-----END"))))
                .hasMessageContaining("has no '-----END PRIVATE KEY-----' line");
        Path keyFile = dir.resolve("rsa_key.p8");
        Files.writeString(keyFile, "\n" + PEM.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"));
        assertThatThrownBy(() -> ClientProfile.builder().user("u").account("a").privateKeyFile(keyFile).build())
                .hasMessageStartingWith("client profile: private_key_file " + keyFile + " is an encrypted key"
                        + " (BEGIN ENCRYPTED PRIVATE KEY, line 2)");
        assertThatThrownBy(() -> ClientProfile.builder().user("u").account("a")
                .privateKeyFile(dir.resolve("missing.p8")).build())
                .hasMessage("client profile: private_key_file " + dir.resolve("missing.p8") + ": file not found");
    }

    @Test
    void pipeNames() {
        assertThat(PipeName.defaultPipeOf("DB", "S", "T").pipe()).isEqualTo("T-STREAMING");
        assertThat(PipeName.of("DB", "S", "P")).hasToString("DB.S.P");
        assertThatThrownBy(() -> PipeName.of("DB", " ", "P")).hasMessageContaining("schema");
    }
}
