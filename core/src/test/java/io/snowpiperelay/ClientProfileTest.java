package io.snowpiperelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientProfileTest {
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

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
                  "max_buffered_kb_for_rowset_mode": 1000000
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
                .property("oauth_client_secret", "s3cr3t").property("private_key_passphrase", "pw").build();
        assertThat(p.toString()).doesNotContain("MIIE").doesNotContain("s3cr3t").doesNotContain("=pw")
                .contains("private_key=<masked>").contains("user=u");
    }

    @Test
    void fromPropertiesRequiresUserAccountAndAKey() {
        Properties props = new Properties();
        props.setProperty("user", "u");
        props.setProperty("account", "a");
        assertThatThrownBy(() -> ClientProfile.fromProperties(props)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private_key");
        props.setProperty("private_key_file", "/keys/rsa_key.p8");
        ClientProfile p = ClientProfile.fromProperties(props);
        assertThat(p.toString()).contains("private_key_file=/keys/rsa_key.p8");
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

    @Test
    void pipeNames() {
        assertThat(PipeName.defaultPipeOf("DB", "S", "T").pipe()).isEqualTo("T-STREAMING");
        assertThat(PipeName.of("DB", "S", "P")).hasToString("DB.S.P");
        assertThatThrownBy(() -> PipeName.of("DB", " ", "P")).hasMessageContaining("schema");
    }
}
