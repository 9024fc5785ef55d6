package io.snowpiperelay.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snowpiperelay.ClientProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link ClientProfile} from {@code snowpipe.relay.profile.*}. Every error names the property and
 * never the key: messages carry paths and variable names only.
 */
final class ClientProfileFactory {
    private static final String PROFILE = SnowpipeRelayProperties.PREFIX + ".profile";

    private ClientProfileFactory() {
    }

    /**
     * @param profile     the bound properties
     * @param environment where the variable named by {@code private-key-env} is read (the system environment,
     *                    and any other property source of the application)
     * @throws RelayConfigurationException naming the property to fix
     */
    static ClientProfile create(SnowpipeRelayProperties.Profile profile, Environment environment) {
        ClientProfile.Builder b = profile.getPath() != null ? fromFile(profile.getPath())
                : ClientProfile.builder();
        set(b, ClientProfile.USER, profile.getUser());
        set(b, ClientProfile.ACCOUNT, profile.getAccount());
        set(b, ClientProfile.URL, profile.getUrl());
        set(b, ClientProfile.ROLE, profile.getRole());
        for (Map.Entry<String, String> e : profile.getProperties().entrySet()) {
            set(b, e.getKey(), e.getValue());
        }
        if (profile.getPrivateKeyFile() != null && profile.getPrivateKeyEnv() != null) {
            throw new RelayConfigurationException(PROFILE + ".private-key-file",
                    "both private-key-file and private-key-env are set", "set only one of them", null);
        }
        if (profile.getPrivateKeyFile() != null) {
            b.privateKey(readKeyFile(profile.getPrivateKeyFile())).property(ClientProfile.PRIVATE_KEY_FILE, null);
        }
        if (profile.getPrivateKeyEnv() != null) {
            b.privateKey(readKeyVariable(profile.getPrivateKeyEnv(), environment))
                    .property(ClientProfile.PRIVATE_KEY_FILE, null);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw missingField(profile, e);
        }
    }

    /**
     * The file's fields, not yet checked: a field it lacks may still come from the properties. Read as
     * {@link ClientProfile#fromJsonFile(Path)} reads it.
     */
    private static ClientProfile.Builder fromFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            // A parse error's message may quote the file (the key): keep only the type.
            throw new RelayConfigurationException(PROFILE + ".path", "cannot read " + file.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + ")", "point it at the SDK's profile.json", null);
        }
        if (root == null || !root.isObject()) {
            throw new RelayConfigurationException(PROFILE + ".path", file.toAbsolutePath()
                    + " is not a JSON object", "point it at the SDK's profile.json", null);
        }
        ClientProfile.Builder b = ClientProfile.builder();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (v != null && !v.isNull()) {
                b.property(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return b;
    }

    private static String readKeyFile(Path file) {
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            if (pem.isBlank()) {
                throw new RelayConfigurationException(PROFILE + ".private-key-file", file.toAbsolutePath()
                        + " is empty", "put the PKCS#8 PEM private key in it", null);
            }
            return pem;
        } catch (IOException e) {
            throw new RelayConfigurationException(PROFILE + ".private-key-file", "cannot read "
                    + file.toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")",
                    "point it at a readable PKCS#8 PEM private key file", null);
        }
    }

    private static String readKeyVariable(String name, Environment environment) {
        String pem = environment.getProperty(name);
        if (pem == null || pem.isBlank()) {
            throw new RelayConfigurationException(PROFILE + ".private-key-env", "environment variable " + name
                    + " is not set or empty", "export " + name + " with the PKCS#8 PEM private key, or name"
                    + " another variable", null);
        }
        return pem;
    }

    private static RelayConfigurationException missingField(SnowpipeRelayProperties.Profile profile,
                                                            IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (!message.contains("<missing>")) {
            // Not a missing field: a key that cannot be read, an unknown key... ClientProfile names it (never
            // quoting the key) and what to do.
            return new RelayConfigurationException(PROFILE, message, "fix the profile as the message says", null);
        }
        String where = profile.getPath() != null ? " (neither in " + profile.getPath() + " nor set here)" : "";
        // ClientProfile lists every missing field; name the first of user, account, key, as before.
        boolean userOrAccount = message.contains(ClientProfile.USER + " = <missing>")
                || message.contains(ClientProfile.ACCOUNT + " = <missing>");
        if (!userOrAccount && message.contains(ClientProfile.PRIVATE_KEY)) {
            return new RelayConfigurationException(PROFILE + ".private-key-env", "no private key" + where,
                    "set " + PROFILE + ".private-key-env or " + PROFILE + ".private-key-file, or "
                            + PROFILE + ".path to a profile.json with private_key", null);
        }
        String field = message.contains(ClientProfile.USER + " = <missing>") ? "user" : "account";
        return new RelayConfigurationException(PROFILE + "." + field, field + " is missing" + where,
                "set " + PROFILE + "." + field + ", or " + PROFILE + ".path to a profile.json with " + field,
                null);
    }

    private static void set(ClientProfile.Builder b, String name, String value) {
        if (value != null && !value.isBlank()) {
            b.property(name, value);
        }
    }
}
