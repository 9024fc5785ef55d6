package io.snowpiperelay.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication like Snowflake's key-pair auth: the SDK's RS256 JWT (iat/exp in milliseconds, {@code iss =
 * ACCOUNT.USER.SHA256:<fingerprint>}) is verified against the user's registered public keys; the scoped token
 * issued on {@code /oauth/token} is an HS256 JWT signed with a secret of this emulator and is checked on the
 * OAUTH endpoints. A user with no registered key at all is accepted with any well-formed JWT (logged once).
 * Thread-safe.
 */
public final class Auth {

    private static final Logger log = LoggerFactory.getLogger(Auth.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder B64URL_ENC = Base64.getUrlEncoder().withoutPadding();
    /**
     * A value that names a key rather than holds one, such as docs/snowflake-setup.sql's
     * {@code PASTE_YOUR_PUBLIC_KEY_HERE} or {@code <your public key>}: words only, no key material.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>|[A-Za-z]+([_ -][A-Za-z]+)+");
    /** Lifetime of issued scoped tokens. */
    public static final long SCOPED_TOKEN_LIFETIME_SECONDS = 3600;

    private final String account;
    private final Supplier<Map<String, List<String>>> sqlKeys;
    private final Map<String, List<String>> apiKeys = new ConcurrentHashMap<>();
    private final byte[] secret = new byte[32];
    private final Set<String> lenientUsersLogged = ConcurrentHashMap.newKeySet();
    /** Cache of parsed keys: the inputs it was computed from and fingerprint → user. */
    private volatile Object[] keyCache = {null, Map.of()};

    /**
     * @param account the account name (upper-cased and cut at the first dot, as the SDK does for {@code iss})
     * @param sqlKeys the keys registered by SQL (read on every key-pair verification, cached by equality)
     */
    public Auth(String account, Supplier<Map<String, List<String>>> sqlKeys) {
        this.account = accountId(account);
        this.sqlKeys = sqlKeys;
        ThreadLocalRandom.current().nextBytes(secret);
    }

    /** The account id as it appears in {@code iss}: upper case, cut at the first dot. */
    public static String accountId(String account) {
        String upper = account.toUpperCase(Locale.ROOT);
        int dot = upper.indexOf('.');
        return dot < 0 ? upper : upper.substring(0, dot);
    }

    /** Registers a public key (PEM or base64) for a user (case-insensitive). */
    public void registerPublicKey(String user, String pem) {
        Keys.parsePublicKey(pem); // validate now
        apiKeys.computeIfAbsent(user.toUpperCase(Locale.ROOT), u -> new CopyOnWriteArrayList<>()).add(pem);
    }

    /** A reason to reject, or null when the key-pair JWT is acceptable. */
    public String verifyKeyPairJwt(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return "not a JWT";
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(B64URL.decode(parts[1]));
        } catch (Exception e) {
            return "unreadable JWT payload";
        }
        String iss = payload.path("iss").asText("");
        int fp = iss.indexOf(".SHA256:");
        int dot = iss.indexOf('.');
        if (fp < 0 || dot >= fp) {
            return "issuer '" + iss + "' is not ACCOUNT.USER.SHA256:<fingerprint>";
        }
        String jwtAccount = iss.substring(0, dot);
        String user = iss.substring(dot + 1, fp);
        String fingerprint = iss.substring(fp + 1);
        if (!jwtAccount.equalsIgnoreCase(account)) {
            return "account '" + jwtAccount + "' is not this emulator's account '" + account + "'";
        }
        JsonNode exp = payload.get("exp");
        if (exp == null || !exp.canConvertToLong()) {
            return "JWT has no numeric exp";
        }
        long expMs = exp.asLong() > 100_000_000_000L ? exp.asLong() : exp.asLong() * 1000;
        if (expMs < System.currentTimeMillis()) {
            return "JWT expired";
        }
        Map<String, Map<String, PublicKey>> keys = keys();
        Map<String, PublicKey> userKeys = keys.get(user.toUpperCase(Locale.ROOT));
        if (userKeys == null || userKeys.isEmpty()) {
            if (lenientUsersLogged.add(user.toUpperCase(Locale.ROOT))) {
                log.info("snowpipe-emulator - no public key registered for user {}: accepting any well-formed JWT for it", user);
            }
            return null;
        }
        PublicKey key = userKeys.get(fingerprint);
        if (key == null) {
            return "public key fingerprint " + fingerprint + " is not registered for user " + user;
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(B64URL.decode(parts[2]))) {
                return "signature does not verify";
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "signature does not verify: " + e.getMessage();
        }
        return null;
    }

    /** Issues a scoped token (HS256 JWT, exp in seconds, as the SDK requires). */
    public String issueScopedToken(String subject) {
        long now = System.currentTimeMillis() / 1000;
        String header = B64URL_ENC.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = "{\"sub\":\"" + subject.replace("\"", "") + "\",\"iat\":" + now + ",\"exp\":"
                + (now + SCOPED_TOKEN_LIFETIME_SECONDS) + ",\"jti\":\"" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + "\"}";
        String unsigned = header + "." + B64URL_ENC.encodeToString(body.getBytes(StandardCharsets.UTF_8));
        return unsigned + "." + B64URL_ENC.encodeToString(hmac(unsigned));
    }

    /** Whether a bearer token is a scoped token this emulator issued and that has not expired. */
    public boolean verifyScopedToken(String token) {
        int lastDot = token.lastIndexOf('.');
        if (lastDot <= 0) {
            return false;
        }
        byte[] expected = hmac(token.substring(0, lastDot));
        byte[] actual;
        try {
            actual = B64URL.decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return false;
        }
        try {
            int firstDot = token.indexOf('.');
            JsonNode payload = JSON.readTree(B64URL.decode(token.substring(firstDot + 1, lastDot)));
            return payload.path("exp").asLong() * 1000 >= System.currentTimeMillis();
        } catch (Exception e) {
            return false;
        }
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an RSA_PUBLIC_KEY value is a placeholder (words, no key material) rather than a damaged key. */
    static boolean isPlaceholder(String value) {
        return PLACEHOLDER.matcher(value.strip()).matches();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, PublicKey>> keys() {
        Map<String, List<String>> fromSql = sqlKeys.get();
        Map<String, List<String>> all = new HashMap<>();
        fromSql.forEach((u, l) -> all.computeIfAbsent(u.toUpperCase(Locale.ROOT), k -> new ArrayList<>()).addAll(l));
        apiKeys.forEach((u, l) -> all.computeIfAbsent(u, k -> new ArrayList<>()).addAll(l));
        Object[] cache = keyCache;
        if (all.equals(cache[0])) {
            return (Map<String, Map<String, PublicKey>>) cache[1];
        }
        Map<String, Map<String, PublicKey>> parsed = new HashMap<>();
        all.forEach((user, pems) -> {
            Map<String, PublicKey> byFingerprint = new HashMap<>();
            for (String pem : pems) {
                if (pem == null || pem.isBlank()) {
                    continue;
                }
                try {
                    PublicKey k = Keys.parsePublicKey(pem);
                    byFingerprint.put(Keys.fingerprint(k), k);
                } catch (IllegalArgumentException e) {
                    if (isPlaceholder(pem)) {
                        // The setup script's own placeholder: expected in the emulator, nothing for anyone to fix.
                        log.info("snowpipe-emulator - user {}: RSA_PUBLIC_KEY '{}' is a placeholder, not a key; the"
                                + " emulator ignores it (on Snowflake, replace it with your public key)", user,
                                pem.strip());
                    } else {
                        log.warn("snowpipe-emulator - ignoring unusable public key of user {}: {}", user,
                                e.getMessage());
                    }
                }
            }
            parsed.put(user, byFingerprint);
        });
        keyCache = new Object[] {all, parsed};
        return parsed;
    }
}
