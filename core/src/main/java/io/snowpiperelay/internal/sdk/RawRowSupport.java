package io.snowpiperelay.internal.sdk;

import io.snowpiperelay.internal.RawJsonRow;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the SDK in use writes a {@link RawJsonRow} as its own bytes, checked once per JVM on the first channel,
 * and the fallback when it does not.
 *
 * <p>The check runs the SDK channel's own row serialisation (the package-private {@code serializeRowsToBytes} that
 * {@code appendRows} calls in SDK 1.x) on two probe rows and compares the bytes with what raw rows must give. A
 * different SDK (a changed serialiser, a renamed shaded package, a missing method) fails the check, and the relay
 * then hands the SDK ordinary maps: slower, never wrong.
 */
final class RawRowSupport {
    private static final Logger log = LoggerFactory.getLogger(RawRowSupport.class);
    private static final String METHOD = "serializeRowsToBytes";
    private static final byte[][] PROBES = {
            "{\"A\":1,\"B\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            " {\"C\": [2.50, null, {\"D\": \"\\u00e9\u20ac\"}]}\t".getBytes(StandardCharsets.UTF_8)};
    private static final byte[] EXPECTED =
            "{\"A\":1,\"B\":\"x\"}\n{\"C\": [2.50, null, {\"D\": \"\\u00e9\u20ac\"}]}".getBytes(StandardCharsets.UTF_8);

    private static volatile Boolean supported;

    private RawRowSupport() {
    }

    /** Whether {@code channel}'s SDK writes raw rows as their bytes; decided on the first call, then remembered. */
    static boolean supported(Object channel) {
        Boolean known = supported;
        if (known == null) {
            synchronized (RawRowSupport.class) {
                known = supported;
                if (known == null) {
                    known = check(channel);
                    supported = known;
                }
            }
        }
        return known;
    }

    static boolean check(Object channel) {
        try {
            Method serialize = find(channel.getClass());
            if (serialize == null) {
                log.info("SDK channel {} has no {}(Iterable): rows go to the SDK as maps (slower, same rows)",
                        channel.getClass().getName(), METHOD);
                return false;
            }
            serialize.setAccessible(true);
            List<Map<String, Object>> probes = new ArrayList<>();
            for (byte[] probe : PROBES) {
                probes.add(RawJsonRow.of(probe));
            }
            byte[] written = (byte[]) serialize.invoke(channel, probes);
            boolean same = Arrays.equals(written, EXPECTED);
            if (!same) {
                log.info("the SDK does not write raw JSON rows as they are: rows go to the SDK as maps (slower, "
                        + "same rows)");
            }
            return same;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.info("raw JSON rows are not possible with this SDK ({}): rows go to the SDK as maps (slower, "
                    + "same rows)", e.toString());
            return false;
        }
    }

    private static Method find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(METHOD, Iterable.class);
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return null;
    }

    /** {@code rows} with every raw row replaced by an ordinary map; the list itself when it holds none. */
    static List<Map<String, Object>> plain(List<Map<String, Object>> rows) {
        List<Map<String, Object>> copy = null;
        for (int i = 0, n = rows.size(); i < n; i++) {
            Map<String, Object> row = rows.get(i);
            if (row instanceof RawJsonRow raw) {
                if (copy == null) {
                    copy = new ArrayList<>(rows);
                }
                copy.set(i, raw.toPlainMap());
            }
        }
        return copy == null ? rows : copy;
    }
}
