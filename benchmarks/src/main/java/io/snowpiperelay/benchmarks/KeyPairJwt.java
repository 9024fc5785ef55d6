package io.snowpiperelay.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;

/**
 * Mints the key-pair JWT the SDK sends ({@code iss = ACCOUNT.USER.SHA256:fingerprint}, {@code iat}/{@code exp} in
 * milliseconds, RS256), from the same client properties the SDK gets. Used by the emulator-ingest probe, which
 * talks HTTP without the SDK. Thread-safe.
 */
final class KeyPairJwt {

    private final PrivateKey privateKey;
    private final String issuer;
    private final String subject;

    KeyPairJwt(Properties clientProperties) {
        String pem = clientProperties.getProperty("private_key");
        if (pem == null) {
            throw new IllegalArgumentException("client properties have no private_key; the probe needs the PEM text");
        }
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            String fingerprint = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
            String account = clientProperties.getProperty("account", "ACCOUNT").toUpperCase(Locale.ROOT);
            int dot = account.indexOf('.');
            if (dot >= 0) {
                account = account.substring(0, dot);
            }
            String user = clientProperties.getProperty("user", "USER").toUpperCase(Locale.ROOT);
            subject = account + "." + user;
            issuer = subject + ".SHA256:" + fingerprint;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("client properties' private_key is not an RSA PKCS#8 key: "
                    + e.getClass().getSimpleName());
        }
    }

    /** A fresh JWT valid for 59 minutes. */
    String mint() {
        long now = System.currentTimeMillis();
        String header = base64Url("{\"typ\":\"JWT\",\"alg\":\"RS256\"}");
        String payload = base64Url("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 3_540_000) + "}");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the key-pair JWT", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
