package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key-pair JWT verification (iat/exp in ms, iss fingerprint) and scoped tokens. */
class AuthTest {

    private static KeyPair registered;
    private static KeyPair other;

    @BeforeAll
    static void keys() {
        registered = Keys.generate();
        other = Keys.generate();
    }

    private static String jwt(KeyPair signer, KeyPair claimed, String account, String user, long expMs) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + account + "." + user + "." + Keys.fingerprint(claimed.getPublic())
                + "\",\"sub\":\"" + account + "." + user + "\",\"iat\":" + (expMs - 3_540_000) + ",\"exp\":" + expMs + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(signer.getPrivate());
        s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(s.sign());
    }

    private static Auth auth() {
        return new Auth("myorg-acct1.us-east-1", () -> Map.of("LOADER", List.of(Keys.publicKeyBase64(registered.getPublic()))));
    }

    @Test
    void acceptsTheSdksJwtWithMillisecondClaims() throws Exception {
        long exp = System.currentTimeMillis() + 3_540_000;
        assertThat(auth().verifyKeyPairJwt(jwt(registered, registered, "MYORG-ACCT1", "LOADER", exp))).isNull();
    }

    @Test
    void rejectsExpiredUnknownFingerprintForgedSignatureAndOtherAccount() throws Exception {
        long exp = System.currentTimeMillis() + 3_540_000;
        Auth auth = auth();
        assertThat(auth.verifyKeyPairJwt(jwt(registered, registered, "MYORG-ACCT1", "LOADER", System.currentTimeMillis() - 1000)))
                .contains("expired");
        assertThat(auth.verifyKeyPairJwt(jwt(other, other, "MYORG-ACCT1", "LOADER", exp))).contains("not registered");
        assertThat(auth.verifyKeyPairJwt(jwt(other, registered, "MYORG-ACCT1", "LOADER", exp))).contains("signature");
        assertThat(auth.verifyKeyPairJwt(jwt(registered, registered, "ELSEWHERE", "LOADER", exp))).contains("account");
        assertThat(auth.verifyKeyPairJwt("not.a-jwt")).isNotNull();
    }

    @Test
    void aUserWithoutKeysIsAcceptedWithAnyWellFormedJwt() throws Exception {
        long exp = System.currentTimeMillis() + 3_540_000;
        assertThat(auth().verifyKeyPairJwt(jwt(other, other, "MYORG-ACCT1", "NOBODY", exp))).isNull();
    }

    @Test
    void theSetupScriptsPlaceholderIsToldApartFromADamagedKey() {
        assertThat(Auth.isPlaceholder("PASTE_YOUR_PUBLIC_KEY_HERE")).isTrue();
        assertThat(Auth.isPlaceholder(" <your public key> ")).isTrue();
        assertThat(Auth.isPlaceholder("paste-key-here")).isTrue();
        String key = Keys.publicKeyBase64(registered.getPublic());
        assertThat(Auth.isPlaceholder(key)).isFalse();
        assertThat(Auth.isPlaceholder(key.substring(0, 40))).isFalse(); // a truncated key is damaged, not a placeholder
        assertThat(Auth.isPlaceholder("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")).isFalse();
        assertThat(Auth.isPlaceholder("KEY")).isFalse(); // one bare word could be a (bad) key: warn
    }

    @Test
    void aUserWhoseOnlyKeyIsThePlaceholderIsAcceptedWithAnyWellFormedJwt() throws Exception {
        Auth auth = new Auth("myorg-acct1.us-east-1", () -> Map.of("LOADER", List.of("PASTE_YOUR_PUBLIC_KEY_HERE")));
        long exp = System.currentTimeMillis() + 3_540_000;
        assertThat(auth.verifyKeyPairJwt(jwt(other, other, "MYORG-ACCT1", "LOADER", exp))).isNull();
    }

    @Test
    void apiRegisteredKeysCount() throws Exception {
        Auth auth = auth();
        long exp = System.currentTimeMillis() + 3_540_000;
        auth.registerPublicKey("loader", Keys.publicKeyPem(other.getPublic()));
        assertThat(auth.verifyKeyPairJwt(jwt(other, other, "MYORG-ACCT1", "LOADER", exp))).isNull();
    }

    @Test
    void scopedTokensAreJwtsWithExpInSecondsAndCannotBeForged() throws Exception {
        Auth auth = auth();
        String token = auth.issueScopedToken("MYORG-ACCT1.LOADER");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).containsPattern("\"exp\":\\d{10}[,}]");
        assertThat(auth.verifyScopedToken(token)).isTrue();
        assertThat(auth.verifyScopedToken(token.substring(0, token.length() - 2) + "xx")).isFalse();
        assertThat(auth().verifyScopedToken(token)).as("another emulator's token").isFalse();
    }

    @Test
    void fingerprintIsBase64OfSha256OverTheDerKey() {
        assertThat(Keys.fingerprint(registered.getPublic())).matches("SHA256:[A-Za-z0-9+/]{43}=");
        assertThat(Keys.parsePublicKey(Keys.publicKeyPem(registered.getPublic()))).isEqualTo(registered.getPublic());
    }
}
