package io.snowpiperelay.types;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * DATE, TIME, TIMESTAMP_NTZ / _LTZ / _TZ (§1.5–§1.7 of {@code snowflake-streaming-types.md}).
 *
 * <p>Input:
 * <ul>
 *   <li>strings in the AUTO formats ({@link TemporalParser}); a DATE takes the date part of any accepted
 *       timestamp (§1.5); NTZ keeps the wall clock as written and drops an offset (classic
 *       {@code withOffsetSameLocal}, §1.7); LTZ/TZ read a string without offset in
 *       {@link #ACCOUNT_TIME_ZONE} (the session-zone rule of TO_TS; HP does not say otherwise); TIME rejects
 *       an offset (HP drops such rows, KC-E2E {@code time_offset});</li>
 *   <li>strings holding an integer: seconds, milliseconds, microseconds or nanoseconds since the epoch by
 *       magnitude (&lt; 31,536,000,000 s; &lt; …000 ms; &lt; …000000 µs; else ns), symmetric for negatives,
 *       always UTC (DT-IO, TO_TS, CL-SDK);</li>
 *   <li>JSON numbers: seconds since the epoch, fraction allowed, no magnitude detection (TO_TS "conversion
 *       from numeric_expr"); as for a VARIANT integer cast to NTZ the result is in the account zone, so NTZ
 *       gets the wall clock of {@link #ACCOUNT_TIME_ZONE} (KC-E2E {@code ts_epoch}: stored 8 h earlier; TO_TS
 *       example {@code PARSE_JSON(0)::TIMESTAMP_NTZ = 1969-12-31 16:00:00}). DATE and TIME use the same
 *       zone, the brief's §6 rule (3P-EMU instead rejects numbers into DATE: open). A number whose year
 *       would pass 9999 (typically milliseconds sent as a number) is rejected rather than stored as
 *       garbage;</li>
 *   <li>booleans, objects, arrays → "Failed to cast variant value".</li>
 * </ul>
 *
 * <p>Output (text SQLite's date functions read): DATE {@code YYYY-MM-DD}; TIME {@code HH:MM:SS[.fffffffff]};
 * NTZ {@code YYYY-MM-DD HH:MM:SS[.fffffffff]} (the wall clock); LTZ the same in UTC; TZ the local time with
 * its offset, {@code YYYY-MM-DD HH:MM:SS[.fffffffff]+HH:MM}. The fraction has 9 digits when non-zero
 * (so equal instants compare equal as text), truncated to the column's precision (the classic SDK
 * truncates; HP not documented).
 */
final class TemporalConverter extends ValueConverter {

    /**
     * The account's default time zone: Snowflake accounts default to America/Los_Angeles, and the HP server
     * used it for JSON-number epochs into NTZ even with session {@code TIMEZONE='UTC'} (KC-E2E).
     */
    static final ZoneId ACCOUNT_TIME_ZONE = ZoneId.of("America/Los_Angeles");

    private static final long SECONDS_LIMIT = 31_536_000_000L;
    private static final long MILLIS_LIMIT = 31_536_000_000_000L;
    private static final long MICROS_LIMIT = 31_536_000_000_000_000L;
    /** Seconds of 9999-12-31T23:59:59Z, a bound on JSON-number epochs before converting them. */
    private static final BigDecimal MAX_EPOCH_SECONDS = BigDecimal.valueOf(253_402_300_799L + 86_400);
    private static final BigDecimal MIN_EPOCH_SECONDS = BigDecimal.valueOf(-62_135_596_800L - 86_400);

    private final int truncateModulus;

    TemporalConverter(ColumnType type) {
        super(type);
        int m = 1;
        for (int i = type.precision(); i < 9; i++) {
            m *= 10;
        }
        this.truncateModulus = type.kind() == ColumnType.Kind.DATE ? 1 : m;
    }

    @Override
    Object convert(JsonParser p, JsonToken t, byte[] buf, int base) throws IOException, RowRejected {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> fromString(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fromEpochSeconds(p.getDecimalValue());
            default -> throw cannotCast(p, t);
        };
    }

    @Override
    Object fastString(String s) throws RowRejected {
        return fromString(s);
    }

    @Override
    Object fastAsciiString(byte[] b, int from, int to) throws RowRejected {
        if (type.kind() == ColumnType.Kind.TIMESTAMP_NTZ || type.kind() == ColumnType.Kind.DATE) {
            String fast = fastIsoWallClock(b, from, to, type.kind() == ColumnType.Kind.DATE, type.precision());
            if (fast != null) {
                return fast;
            }
        }
        return fromStringGeneral(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    @Override
    Object fastInt(long v, byte[] text, int from, int to) throws RowRejected {
        return fromEpochSeconds(BigDecimal.valueOf(v));  // getDecimalValue() of an integer token: scale 0
    }

    @Override
    Object fastDecimal(String text) throws RowRejected {
        return fromEpochSeconds(new BigDecimal(text));
    }

    @Override
    Object fastBoolean(boolean v) throws RowRejected {
        throw cannotCast();
    }

    @Override
    Object fastNull() {
        return null;
    }

    private RowRejected notRecognized() {
        String what = switch (type.kind()) {
            case DATE -> "Date";
            case TIME -> "Time";
            default -> "Timestamp";
        };
        return new RowRejected(RejectionRule.NOT_A_DATE_OR_TIME, what + " '" + REDACTED + "' is not recognized");
    }

    Object fromString(String text) throws RowRejected {
        if (type.kind() == ColumnType.Kind.TIMESTAMP_NTZ || type.kind() == ColumnType.Kind.DATE) {
            String fast = fastIsoWallClock(text, type.kind() == ColumnType.Kind.DATE, type.precision());
            if (fast != null) {
                return fast;
            }
        }
        return fromStringGeneral(text);
    }

    /** Every AUTO form; {@link #fastIsoWallClock} must agree with this wherever it answers. */
    Object fromStringGeneral(String text) throws RowRejected {
        if (TemporalParser.isIntegerString(text)) {
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw notRecognized();
            }
            return fromInstant(byMagnitude(v), ZoneOffset.UTC);
        }
        if (type.kind() == ColumnType.Kind.TIME) {
            TemporalParser.ParsedTime time = TemporalParser.parseTime(text);
            if (time == null || time.hasOffset()) {
                throw notRecognized();
            }
            return formatTime(truncate(time.time()));
        }
        TemporalParser.Parsed parsed = TemporalParser.parseTimestamp(text);
        if (parsed == null) {
            throw notRecognized();
        }
        switch (type.kind()) {
            case DATE:
                return checkYear(parsed.date()).toString();
            case TIMESTAMP_NTZ:
                checkYear(parsed.date());
                return formatDateTime(parsed.date(), truncate(parsed.time()), null);
            default: {
                LocalDateTime local = LocalDateTime.of(parsed.date(), parsed.time());
                ZoneOffset offset = parsed.offset() != null ? parsed.offset() : ACCOUNT_TIME_ZONE.getRules().getOffset(local);
                return fromInstant(local.toInstant(offset), offset);
            }
        }
    }

    /**
     * The hot path: {@code YYYY-MM-DD[(T| )HH:MI:SS[.F{1,9}]][Z|±HH:MM|±HHMM|±HH]} (what the SDK and
     * Python's {@code isoformat} send) into NTZ or DATE, whose results are just the wall clock as written
     * (§1.5, §1.7). Builds the output characters directly: no parser object, no java.time objects. Returns
     * null for anything else, which then takes the general path (same results, more allocation).
     */
    static String fastIsoWallClock(String s, boolean dateOnly, int precision) {
        // The same checks over the text's Latin-1 bytes: any other character becomes '?', which no check accepts.
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return fastIsoWallClock(b, 0, b.length, dateOnly, precision);
    }

    /**
     * {@link #fastIsoWallClock(String, boolean, int)} over the ASCII bytes {@code s[from, to)} of a JSON string
     * (the flat-row scanner's, without making a String of the input first).
     */
    static String fastIsoWallClock(byte[] s, int from, int to, boolean dateOnly, int precision) {
        int n = to - from;
        if (n < 10 || s[from + 4] != '-' || s[from + 7] != '-') {
            return null;
        }
        int year = d4(s, from);
        int month = d2(s, from + 5);
        int day = d2(s, from + 8);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return null;
        }
        if (n == 10) {
            return dateOnly ? new String(s, from, 10, StandardCharsets.ISO_8859_1)
                    : new String(s, from, 10, StandardCharsets.ISO_8859_1) + " 00:00:00";
        }
        byte sep = s[from + 10];
        if ((sep != 'T' && sep != ' ') || n < 19 || s[from + 13] != ':' || s[from + 16] != ':') {
            return null;
        }
        int hour = d2(s, from + 11);
        int minute = d2(s, from + 14);
        int second = d2(s, from + 17);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int pos = from + 19;
        int fracStart = -1;
        int fracEnd = -1;
        if (pos < to && s[pos] == '.') {
            fracStart = ++pos;
            while (pos < to && s[pos] >= '0' && s[pos] <= '9') {
                pos++;
            }
            fracEnd = pos;
            if (fracEnd == fracStart || fracEnd - fracStart > 9) {
                return null;
            }
        }
        if (pos < to && !isOffset(s, pos, to)) {
            return null;
        }
        if (dateOnly) {
            return new String(s, from, 10, StandardCharsets.ISO_8859_1);
        }
        // Keep the fraction's first `precision` digits (truncation, §1.7); print 9 digits unless it is zero.
        boolean nonZero = false;
        if (fracStart >= 0) {
            for (int i = fracStart; i < fracEnd && i - fracStart < precision; i++) {
                nonZero |= s[i] != '0';
            }
        }
        byte[] out = new byte[nonZero ? 29 : 19];
        System.arraycopy(s, from, out, 0, 10);
        out[10] = ' ';
        System.arraycopy(s, from + 11, out, 11, 8);
        if (nonZero) {
            out[19] = '.';
            for (int i = 0; i < 9; i++) {
                int at = fracStart + i;
                out[20 + i] = i < precision && at < fracEnd ? s[at] : (byte) '0';
            }
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** {@code Z}, {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH} exactly from {@code pos} to {@code to}. */
    private static boolean isOffset(byte[] s, int pos, int to) {
        int rest = to - pos;
        byte c = s[pos];
        if (c == 'Z') {
            return rest == 1;
        }
        if ((c != '+' && c != '-') || (rest != 3 && rest != 5 && rest != 6)) {
            return false;
        }
        int hours = d2(s, pos + 1);
        int minutes = switch (rest) {
            case 3 -> 0;
            case 5 -> d2(s, pos + 3);
            case 6 -> s[pos + 3] == ':' ? d2(s, pos + 4) : -1;
            default -> -1;
        };
        // java.time's (and Snowflake's) range: ±18:00.
        return hours >= 0 && minutes >= 0 && minutes <= 59 && hours * 60 + minutes <= 18 * 60;
    }

    /** Two ASCII digits at {@code i}, or -1. */
    private static int d2(byte[] s, int i) {
        int a = s[i];
        int b = s[i + 1];
        return a >= '0' && a <= '9' && b >= '0' && b <= '9' ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static int d4(byte[] s, int i) {
        int hi = d2(s, i);
        int lo = d2(s, i + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** §1.7: an integer in a string is s / ms / µs / ns since the epoch, chosen by its magnitude. */
    static Instant byMagnitude(long v) {
        long abs = v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v);
        if (abs < SECONDS_LIMIT) {
            return Instant.ofEpochSecond(v);
        }
        if (abs < MILLIS_LIMIT) {
            return Instant.ofEpochMilli(v);
        }
        if (abs < MICROS_LIMIT) {
            return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
        }
        return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
    }

    Object fromEpochSeconds(BigDecimal seconds) throws RowRejected {
        if (seconds.compareTo(MAX_EPOCH_SECONDS) > 0 || seconds.compareTo(MIN_EPOCH_SECONDS) < 0) {
            throw new RowRejected(RejectionRule.OUT_OF_RANGE, "Failed to cast variant value " + REDACTED + " to " + castName()
                    + " (a JSON number is read as seconds since the epoch; this one is beyond year 9999)");
        }
        BigInteger nanos = seconds.movePointRight(9).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigInteger[] qr = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        long s = qr[0].longValueExact();
        long n = qr[1].longValueExact();
        if (n < 0) {
            s -= 1;
            n += 1_000_000_000L;
        }
        Instant instant = Instant.ofEpochSecond(s, n);
        return fromInstant(instant, ACCOUNT_TIME_ZONE.getRules().getOffset(instant));
    }

    /**
     * An instant rendered for this column: NTZ, DATE and TIME take the wall clock at {@code zone}; LTZ is
     * stored in UTC; TZ keeps {@code zone} as its offset.
     */
    private Object fromInstant(Instant instant, ZoneOffset zone) throws RowRejected {
        LocalDateTime local;
        try {
            local = LocalDateTime.ofInstant(instant, type.kind() == ColumnType.Kind.TIMESTAMP_LTZ ? ZoneOffset.UTC : zone);
        } catch (java.time.DateTimeException e) {
            throw notRecognized();
        }
        checkYear(local.toLocalDate());
        return switch (type.kind()) {
            case DATE -> local.toLocalDate().toString();
            case TIME -> formatTime(truncate(local.toLocalTime()));
            case TIMESTAMP_TZ -> formatDateTime(local.toLocalDate(), truncate(local.toLocalTime()), zone);
            default -> formatDateTime(local.toLocalDate(), truncate(local.toLocalTime()), null);
        };
    }

    private LocalDate checkYear(LocalDate date) throws RowRejected {
        // Snowflake recommends years 0001–9999 (DT-IO); the text forms below assume four digits.
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw notRecognized();
        }
        return date;
    }

    private LocalTime truncate(LocalTime time) {
        int nanos = time.getNano();
        return truncateModulus == 1 || nanos % truncateModulus == 0 ? time : time.withNano(nanos - nanos % truncateModulus);
    }

    static String formatDateTime(LocalDate date, LocalTime time, ZoneOffset offset) {
        StringBuilder sb = new StringBuilder(36);
        pad(sb, date.getYear(), 4).append('-');
        pad(sb, date.getMonthValue(), 2).append('-');
        pad(sb, date.getDayOfMonth(), 2).append(' ');
        appendTime(sb, time);
        if (offset != null) {
            int total = offset.getTotalSeconds();
            sb.append(total < 0 ? '-' : '+');
            total = Math.abs(total);
            pad(sb, total / 3600, 2).append(':');
            pad(sb, (total / 60) % 60, 2);
        }
        return sb.toString();
    }

    static String formatTime(LocalTime time) {
        return appendTime(new StringBuilder(18), time).toString();
    }

    private static StringBuilder appendTime(StringBuilder sb, LocalTime time) {
        pad(sb, time.getHour(), 2).append(':');
        pad(sb, time.getMinute(), 2).append(':');
        pad(sb, time.getSecond(), 2);
        if (time.getNano() != 0) {
            pad(sb.append('.'), time.getNano(), 9);
        }
        return sb;
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        int digits = value == 0 ? 1 : (int) Math.log10(value) + 1;
        for (int i = digits; i < width; i++) {
            sb.append('0');
        }
        return sb.append(value);
    }
}
