package io.snowpiperelay.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpiperelay.types.ColumnType.Kind;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocation-free ISO path for NTZ and DATE must give exactly what the general AUTO parser gives. */
class TemporalFastPathTest {

    private static final TemporalConverter[] CONVERTERS = {
        new TemporalConverter(ColumnType.of(Kind.DATE)),
        new TemporalConverter(ColumnType.temporal(Kind.TIMESTAMP_NTZ, 9)),
        new TemporalConverter(ColumnType.temporal(Kind.TIMESTAMP_NTZ, 6)),
        new TemporalConverter(ColumnType.temporal(Kind.TIMESTAMP_NTZ, 0)),
    };

    private static String general(TemporalConverter c, String s) {
        try {
            return (String) c.fromStringGeneral(s);
        } catch (RowRejected e) {
            return null;
        }
    }

    private static void assertAgrees(String s) {
        for (TemporalConverter c : CONVERTERS) {
            String fast = TemporalConverter.fastIsoWallClock(s, c.type.kind() == Kind.DATE, c.type.precision());
            if (fast != null) {
                assertThat(fast).as("%s into %s", s, c.type.sql()).isEqualTo(general(c, s));
            }
            // the flat-row scanner's entry: the string's bytes inside a longer buffer
            byte[] inRow = ("{\"X\":\"" + s + "\"}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(TemporalConverter.fastIsoWallClock(inRow, 6, 6 + s.length(), c.type.kind() == Kind.DATE,
                    c.type.precision())).as("%s in a row into %s", s, c.type.sql()).isEqualTo(fast);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-23T14:00:00+00:00", "2026-11-23T14:00:19.763520+00:00", "2024-02-29 23:59:59.999999999Z",
            "2023-02-29T00:00:00", "2024-04-31", "2024-01-15", "0001-01-01T00:00:00", "9999-12-31T23:59:59.1",
            "0000-01-01", "2024-01-15T24:00:00", "2024-01-15T10:60:00", "2024-01-15T10:00:60", "2024-01-15T10:00:00.",
            "2024-01-15T10:00:00.1234567890", "2024-01-15T10:00:00+7", "2024-01-15T10:00:00+18:00",
            "2024-01-15T10:00:00+18:30", "2024-01-15T10:00:00-0530", "2024-01-15T10:00:00+05", "2024-01-15T10:00:00Zz",
            "2024-01-15T10:00", "2024-01-15X10:00:00", "2024-1-15", "2024-01-15T10:00:00.000000000",
            "2024-01-15T10:00:00.000100", "2024-01-15T1a:00:00",
    })
    void fastPathAgreesWithTheGeneralParser(String s) {
        assertAgrees(s);
    }

    @Test
    void fastPathAnswersTheCommonForms() {
        assertThat(TemporalConverter.fastIsoWallClock("2026-11-23T14:00:19.763520+00:00", false, 9))
                .isEqualTo("2026-11-23 14:00:19.763520000");
        assertThat(TemporalConverter.fastIsoWallClock("2026-11-23T14:00:19.763520+00:00", true, 0)).isEqualTo("2026-11-23");
        assertThat(TemporalConverter.fastIsoWallClock("2026-11-23T14:00:19.763520+00:00", false, 0)).isEqualTo("2026-11-23 14:00:19");
        assertThat(TemporalConverter.fastIsoWallClock("2024-01-15T10:00:00.123456789Z", false, 9)).isNotNull();
    }

    @Test
    void randomIsoStringsAgree() {
        Random random = new Random(42);
        String[] offsets = {"", "Z", "+00:00", "-07:00", "+0530", "+05", " +01:00", "+19:00"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            s.append(String.format("%04d-%02d-%02d", random.nextInt(10_001), random.nextInt(14), random.nextInt(33)));
            if (random.nextInt(5) > 0) {
                s.append(random.nextBoolean() ? 'T' : ' ')
                        .append(String.format("%02d:%02d:%02d", random.nextInt(26), random.nextInt(62), random.nextInt(62)));
                if (random.nextBoolean()) {
                    s.append('.');
                    int digits = random.nextInt(11);
                    for (int d = 0; d < digits; d++) {
                        s.append((char) ('0' + random.nextInt(10)));
                    }
                }
                s.append(offsets[random.nextInt(offsets.length)]);
            }
            assertAgrees(s.toString());
        }
    }
}
