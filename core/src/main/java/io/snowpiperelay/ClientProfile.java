package io.snowpiperelay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Connection settings for the Snowpipe Streaming SDK, in the SDK's own {@code profile.json} / {@code Properties}
 * format: {@code user}, {@code account}, {@code url}, {@code role}, {@code private_key} (PKCS#8 PEM) or
 * {@code private_key_file}, plus any other SDK client property (e.g. {@code max_buffered_kb_for_rowset_mode}),
 * passed through unchanged.
 *
 * <pre>{@code
 * ClientProfile profile = ClientProfile.fromJsonFile(Path.of("profile.json"));
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the private key and every other secret-looking value;
 * the relay never logs a profile's secrets nor puts them in exception messages.
 */
public final class ClientProfile {
    /** SDK property: the user name. */
    public static final String USER = "user";
    /** SDK property: the account identifier, e.g. {@code myorg-myaccount}. */
    public static final String ACCOUNT = "account";
    /** SDK property: the account URL, e.g. {@code https://myorg-myaccount.snowflakecomputing.com}. */
    public static final String URL = "url";
    /** SDK property: the role to use. */
    public static final String ROLE = "role";
    /** SDK property: the private key, PKCS#8 PEM text. */
    public static final String PRIVATE_KEY = "private_key";
    /** SDK property: a file holding the private key. */
    public static final String PRIVATE_KEY_FILE = "private_key_file";

    private static final String MASK = "<masked>";

    // sorted for a stable toString(); unmodifiable
    private final Map<String, String> properties;

    private ClientProfile(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * Reads a {@code profile.json} (a JSON object of SDK properties; non-string values are turned into text).
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a JSON object or misses user, account or a key
     */
    public static ClientProfile fromJsonFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            // The message of a parse error may quote the file's content (the key): keep only the type.
            throw new UncheckedIOException("cannot read client profile " + file + ": " + e.getClass().getSimpleName(),
                    new IOException(e.getClass().getSimpleName()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("client profile " + file + " is not a JSON object");
        }
        Builder b = builder();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (v != null && !v.isNull()) {
                b.property(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        return b.build();
    }

    /**
     * Takes the SDK properties as they are.
     *
     * @throws IllegalArgumentException when user, account or a private key is missing
     */
    public static ClientProfile fromProperties(Properties properties) {
        Builder b = builder();
        for (String name : properties.stringPropertyNames()) {
            b.property(name, properties.getProperty(name));
        }
        return b.build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this profile's properties, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(properties);
        return b;
    }

    /** The value of an SDK property, or {@code null}. Secrets are returned as they are. */
    public String property(String name) {
        return properties.get(name);
    }

    /** The user name. */
    public String user() {
        return properties.get(USER);
    }

    /** The account identifier. */
    public String account() {
        return properties.get(ACCOUNT);
    }

    /**
     * The service's URL for messages and reachability checks: the {@code url} property, else the account's
     * default {@code https://<account>.snowflakecomputing.com}.
     */
    String serviceUrl() {
        String url = properties.get(URL);
        return url != null && !url.isBlank() ? url : "https://" + account() + ".snowflakecomputing.com";
    }

    /** The role, or {@code null} for the user's default role. */
    public String role() {
        return properties.get(ROLE);
    }

    /**
     * A new {@code Properties} with every setting, secrets included, for the SDK's client builder. Do not log it.
     */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(properties);
        return p;
    }

    /** The settings with secrets masked, e.g. {@code ClientProfile{account=..., private_key=<masked>, user=...}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ClientProfile{");
        boolean first = true;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(isSecret(e.getKey()) ? MASK : e.getValue());
        }
        return sb.append('}').toString();
    }

    /** Whether a property holds a secret and must never be shown. */
    static boolean isSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return (n.contains("private_key") && !n.equals(PRIVATE_KEY_FILE)) || n.contains("secret")
                || n.contains("password") || n.contains("passphrase") || n.contains("token");
    }

    /** Collects properties; {@link #build()} checks the required ones. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> values = new TreeMap<>();

        private Builder() {
        }

        /** The user name (required). */
        public Builder user(String user) {
            return property(USER, user);
        }

        /** The account identifier (required). */
        public Builder account(String account) {
            return property(ACCOUNT, account);
        }

        /** The account URL, e.g. {@code https://myorg-myaccount.snowflakecomputing.com}. */
        public Builder url(String url) {
            return property(URL, url);
        }

        /** The role. */
        public Builder role(String role) {
            return property(ROLE, role);
        }

        /** The private key as PKCS#8 PEM text. */
        public Builder privateKey(String pem) {
            return property(PRIVATE_KEY, pem);
        }

        /** A file holding the private key. */
        public Builder privateKeyFile(Path file) {
            return property(PRIVATE_KEY_FILE, file.toString());
        }

        /** Any SDK client property, passed through; a {@code null} value removes it. */
        public Builder property(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("property name must not be blank");
            }
            if (value == null) {
                values.remove(name);
            } else {
                values.put(name, value);
            }
            return this;
        }

        /**
         * The profile.
         *
         * @throws IllegalArgumentException when user, account, or both {@code private_key} and
         *                                  {@code private_key_file} are missing
         */
        public ClientProfile build() {
            require(USER);
            require(ACCOUNT);
            if (blank(values.get(PRIVATE_KEY)) && blank(values.get(PRIVATE_KEY_FILE))) {
                throw new IllegalArgumentException("client profile: private_key = <missing> and private_key_file ="
                        + " <missing>; set one (key-pair authentication is required)");
            }
            return new ClientProfile(values);
        }

        private void require(String name) {
            if (blank(values.get(name))) {
                throw new IllegalArgumentException("client profile: " + name + " = <missing>; it is required");
            }
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientProfile other && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }
}
