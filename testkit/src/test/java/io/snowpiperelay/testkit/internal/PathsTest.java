package io.snowpiperelay.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Query-string rules of protocol §11: raw '&', '=', '/', '+', '%' in tokens. */
class PathsTest {

    @Test
    void offsetTokenMayContainRawAmpersandsAndEquals() {
        String query = "offsetToken=a%20b&c=d/%C3%A9+%1&continuationToken=t%201&x=/+%C3%A9%&requestId=42";
        assertThat(Paths.decode(Paths.offsetToken(query))).isEqualTo("a b&c=d/é+%1");
        assertThat(Paths.decode(Paths.continuationToken(query))).isEqualTo("t 1&x=/+é%");
    }

    @Test
    void emptyAndMissingTokens() {
        assertThat(Paths.offsetToken("offsetToken=&continuationToken=abc&requestId=1")).isEmpty();
        assertThat(Paths.continuationToken("offsetToken=&continuationToken=abc&requestId=1")).isEqualTo("abc");
        assertThat(Paths.offsetToken("requestId=1")).isNull();
        assertThat(Paths.continuationToken("requestId=1")).isNull();
        assertThat(Paths.continuationToken(null)).isNull();
    }

    @Test
    void decodingIsLenientAndKeepsPlus() {
        assertThat(Paths.decode("100%")).isEqualTo("100%");
        assertThat(Paths.decode("%zz%4")).isEqualTo("%zz%4");
        assertThat(Paths.decode("a+b")).isEqualTo("a+b");
        assertThat(Paths.decode("%C3%A9")).isEqualTo("é");
    }
}
