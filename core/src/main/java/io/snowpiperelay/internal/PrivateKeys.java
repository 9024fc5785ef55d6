package io.snowpiperelay.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a private key the way the SDK needs it (PKCS#8 PEM, unencrypted, RSA) when a profile is loaded, so a
 * damaged key is named as such instead of surfacing later as an authentication failure. Messages name where the key
 * is and the line at fault, never the key's text.
 *
 * <p>Stateless and thread-safe.
 */
public final class PrivateKeys {
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]*");
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in <your key> -out rsa_key.p8";

    private PrivateKeys() {
    }

    /**
     * Why {@code text} is not a usable key, or {@code null} when it is one.
     *
     * @param where e.g. {@code private_key} or {@code private_key_file /keys/rsa_key.p8}, for the message
     */
    public static String problem(String text, String where) {
        String[] lines = text.replace("\r", "").split("\n", -1);
        int begin = -1;
        String label = null;
        for (int i = 0; i < lines.length && begin < 0; i++) {
            Matcher m = BEGIN.matcher(lines[i].trim());
            if (m.matches()) {
                begin = i;
                label = m.group(1);
            }
        }
        if (begin < 0) {
            return where + " is not a PEM key: no '-----BEGIN PRIVATE KEY-----' line. Give the PKCS#8 key"
                    + " (e.g. rsa_key.p8 made by " + CONVERT + ")";
        }
        if (label.equals("ENCRYPTED " + PKCS8)) {
            return where + " is an encrypted key (BEGIN ENCRYPTED PRIVATE KEY, line " + (begin + 1) + ") and the"
                    + " SDK takes no passphrase: store it unencrypted, e.g. openssl pkcs8 -in <encrypted key>"
                    + " -out rsa_key.p8 -nocrypt, and keep that file readable only by the relay's user";
        }
        if (!label.equals(PKCS8)) {
            return where + " is not a PKCS#8 key: it starts with BEGIN " + label + " (line " + (begin + 1)
                    + "). Convert it: " + CONVERT;
        }
        StringBuilder body = new StringBuilder();
        int end = -1;
        for (int i = begin + 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.equals("-----END " + PKCS8 + "-----")) {
                end = i;
                break;
            }
            if (!BASE64_LINE.matcher(line).matches()) {
                return where + ", line " + (i + 1) + ": not base64; the key is damaged (its text was changed)."
                        + " Copy the key file again";
            }
            body.append(line);
        }
        if (end < 0) {
            return where + " has no '-----END PRIVATE KEY-----' line after line " + (begin + 1)
                    + "; the key is cut short. Copy the key file again";
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            return where + ", lines " + (begin + 2) + "-" + end + ": not valid base64; the key is damaged."
                    + " Copy the key file again";
        }
        try {
            KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return null;
        } catch (GeneralSecurityException e) {
            return where + ", lines " + (begin + 2) + "-" + end + ": not a PKCS#8 RSA key (the content does"
                    + " not decode to one); the key is damaged or of another kind. Copy it again or convert it: "
                    + CONVERT;
        }
    }
}
