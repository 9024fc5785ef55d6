package io.snowpiperelay.spring;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks, in Actuator's {@code env} and {@code configprops} output, every {@code snowpipe.relay.*} property whose
 * name looks secret ({@code private_key}, {@code password}, {@code passphrase}, {@code secret}, {@code token}),
 * and the variable that {@code snowpipe.relay.profile.private-key-env} names. Spring Boot masks every value by
 * default; this keeps the relay's secrets masked where an application chose to show values.
 */
final class RelaySecretsSanitizer implements SanitizingFunction {
    private final String privateKeyVariable;

    RelaySecretsSanitizer(String privateKeyVariable) {
        this.privateKeyVariable = privateKeyVariable;
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        String key = data.getKey();
        if (key == null) {
            return data;
        }
        if (privateKeyVariable != null && key.equals(privateKeyVariable)) {
            return data.withValue(SanitizableData.SANITIZED_VALUE);
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (!k.contains(SnowpipeRelayProperties.PREFIX) && !k.contains("snowpiperelay")) {
            return data;
        }
        String last = k.substring(k.lastIndexOf('.') + 1);
        boolean privateKey = (last.contains("private_key") || last.contains("private-key") || last.contains("privatekey"))
                && !last.endsWith("file") && !last.endsWith("env");
        if (privateKey || last.contains("password") || last.contains("passphrase") || last.contains("secret")
                || last.contains("token")) {
            return data.withValue(SanitizableData.SANITIZED_VALUE);
        }
        return data;
    }
}
