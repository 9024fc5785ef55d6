package io.snowpiperelay.guarantees.harness;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RSA keys for tests. */
public final class Keys {
    private Keys() {
    }

    /** A new RSA key pair, 2048 bits. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new PKCS#8 PEM private key that no emulator user has registered. */
    public static String newPrivateKeyPem() {
        return pem(newKeyPair());
    }

    /** PKCS#8 PEM of the pair's private key, 64 characters a line. */
    public static String pem(KeyPair pair) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
