package io.snowpiperelay.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request the emulator received, as recorded for assertions ({@link SnowpipeEmulator#takeRequest}).
 *
 * @param endpoint   the endpoint the request was classified as
 * @param method     HTTP method
 * @param path       the raw (still percent-encoded) path
 * @param query      the raw query string, or {@code ""}
 * @param headers    header names in lower case to their values
 * @param body       the body, zstd-decompressed for rows requests
 * @param receivedAt when the request arrived
 */
public record RecordedRequest(Endpoint endpoint, String method, String path, String query,
                              Map<String, List<String>> headers, byte[] body, Instant receivedAt) {

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as UTF-8 text. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " (" + endpoint + ", " + body.length + " B)";
    }
}
