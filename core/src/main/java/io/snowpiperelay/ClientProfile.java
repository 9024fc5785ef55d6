package io.snowpiperelay;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.snowpiperelay.internal.PrivateKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /**
     * The keys a profile may hold: the SDK's client settings (the fields of its native {@code Config}, as of
     * snowpipe-streaming 1.1.2), plus the keys Snowflake's example profiles carry that the SDK ignores
     * ({@code authenticator}, {@code database}, {@code schema}, {@code warehouse}, {@code connect_string}). Any other
     * key is refused, naming these, so a typo does not go unnoticed.
     */
    public static final Set<String> ACCEPTED_KEYS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            USER, ACCOUNT, URL, ROLE, PRIVATE_KEY, PRIVATE_KEY_FILE, "host", "port", "scheme", "ssl",
            "authenticator", "database", "schema", "warehouse", "connect_string",
            "authorization_type", "oauth_client_id", "oauth_client_secret", "oauth_refresh_token",
            "replace_underscore_with_dash_in_host", "mem_throttle_threshold_percentage",
            "mem_throttle_threshold_mb_by_process", "skip_mem_throttle_if_available_mb", "mem_throttle_by_process",
            "mem_throttle_by_system", "mem_throttle_by_pod", "mgmt_http_timeout_seconds", "data_http_timeout_seconds",
            "mgmt_retry_initial_backoff_seconds", "mgmt_retry_backoff_multiplier", "mgmt_retry_max_backoff_seconds",
            "mgmt_retry_jitter_ratio", "data_retry_initial_backoff_seconds", "data_retry_backoff_multiplier",
            "data_retry_max_backoff_seconds", "data_retry_jitter_ratio", "file_upload_timeout_seconds",
            "file_upload_initial_backoff_seconds", "file_upload_max_backoff_seconds", "file_upload_max_retry_count",
            "gcs_streaming_chunk_size_bytes", "target_rowset_payload_size_mb", "max_rowset_payload_size_mb",
            "target_buffer_file_size_mb", "ignore_switch_to_file_mode", "num_failure_before_forcing_file_mode",
            "force_file_mode_seconds", "max_append_request_size_mb", "max_append_requests_to_buffer",
            "max_append_bytes_to_buffer", "max_outstanding_snowflake_requests",
            "telemetry_reporting_interval_seconds", "telemetry_flush_timeout_seconds", "enable_rowset_compression",
            "data_header_overrides", "enable_telemetry_reporting", "pipe_info_refresh_buffer_duration_seconds",
            "auth_refresh_buffer_duration_seconds", "channel_status_cache_refresh_interval_seconds",
            "max_buffered_kb_for_rowset_mode", "max_client_lag_seconds")));

    private static final String MASK = "<masked>";

    // sorted for a stable toString(); unmodifiable
    private final Map<String, String> properties;

    private ClientProfile(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /**
     * Reads a {@code profile.json} (a JSON object of SDK properties; non-string values are turned into text) and
     * checks it like {@link Builder#build()}.
     *
     * @throws UncheckedIOException     when the file cannot be read: "file not found: &lt;absolute path&gt;"
     * @throws IllegalArgumentException when it is not valid JSON ("at line L, column C"), not a JSON object, or
     *                                  {@link Builder#build()} finds problems (all of them are listed)
     */
    public static ClientProfile fromJsonFile(Path file) {
        Path absolute = file.toAbsolutePath();
        byte[] content;
        try {
            content = Files.readAllBytes(absolute);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("client profile: file not found: " + absolute
                    + "; give the path of the SDK's profile.json (user, account, url, private_key, role)", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("client profile: permission denied reading " + absolute
                    + "; let the relay's user read it (and nobody else: it holds the private key)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("client profile: cannot read " + absolute + " ("
                    + e.getClass().getSimpleName() + ")", new IOException(e.getClass().getSimpleName()));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(content);
        } catch (JsonProcessingException e) {
            // The parser's own message may quote the file's content (the key): only its position and kind.
            JsonLocation at = e.getLocation();
            int line = at == null ? 0 : at.getLineNr();
            int column = at == null ? 0 : at.getColumnNr();
            String what = e instanceof JsonEOFException ? "the file ends early: a closing quote or brace is"
                    + " missing" : "check the quotes, commas and braces there";
            throw new IllegalArgumentException("client profile " + absolute + " is not valid JSON at line " + line
                    + ", column " + column + " (" + what + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("client profile: cannot read " + absolute + " ("
                    + e.getClass().getSimpleName() + ")", new IOException(e.getClass().getSimpleName()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("client profile " + absolute + " is not a JSON object; it must be"
                    + " one, e.g. {\"user\": ..., \"account\": ..., \"url\": ..., \"private_key\": ...}");
        }
        Builder b = builder();
        b.source = "client profile " + absolute;
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
        // the prefix of messages: which profile
        private String source = "client profile";

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
         * The profile, after checking it whole: user and account set, exactly one of {@code private_key} and
         * {@code private_key_file}, the key readable as an unencrypted PKCS#8 RSA key, and every key one of
         * {@link #ACCEPTED_KEYS}.
         *
         * @throws IllegalArgumentException listing every problem found (never quoting the key)
         */
        public ClientProfile build() {
            List<String> problems = new ArrayList<>();
            require(USER, problems);
            require(ACCOUNT, problems);
            boolean inline = !blank(values.get(PRIVATE_KEY));
            boolean file = !blank(values.get(PRIVATE_KEY_FILE));
            if (!inline && !file) {
                problems.add("private_key = <missing> and private_key_file = <missing>; set one (key-pair"
                        + " authentication is required)");
            } else if (inline && file) {
                problems.add("private_key and private_key_file are both set; the SDK takes one: remove the other");
            } else {
                String keyProblem = inline ? PrivateKeys.problem(values.get(PRIVATE_KEY), PRIVATE_KEY)
                        : keyFileProblem(values.get(PRIVATE_KEY_FILE));
                if (keyProblem != null) {
                    problems.add(keyProblem);
                }
            }
            for (String key : values.keySet()) {
                if (!ACCEPTED_KEYS.contains(key)) {
                    problems.add("unknown key '" + key + "'; accepted keys: " + String.join(", ", ACCEPTED_KEYS));
                }
            }
            if (problems.size() == 1) {
                throw new IllegalArgumentException(source + ": " + problems.get(0));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(source + " has " + problems.size() + " problems:\n  - "
                        + String.join("\n  - ", problems));
            }
            return new ClientProfile(values);
        }

        private static String keyFileProblem(String name) {
            Path path = Path.of(name).toAbsolutePath();
            String where = PRIVATE_KEY_FILE + " " + path;
            try {
                return PrivateKeys.problem(Files.readString(path, java.nio.charset.StandardCharsets.US_ASCII), where);
            } catch (NoSuchFileException e) {
                return where + ": file not found";
            } catch (AccessDeniedException e) {
                return where + ": permission denied; let the relay's user read it";
            } catch (IOException | UncheckedIOException e) {
                return where + ": cannot be read (" + e.getClass().getSimpleName() + "); is it a text (PEM) file?";
            }
        }

        private void require(String name, List<String> problems) {
            if (blank(values.get(name))) {
                problems.add(name + " = <missing>; it is required");
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
