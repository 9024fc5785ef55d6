package io.snowpiperelay.types;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Recognises the strings Snowflake's AUTO input formats accept (DT-IO, §1.5–§1.7 of
 * {@code snowflake-streaming-types.md}). Hand-written rather than {@code DateTimeFormatter}-based: the hot
 * path (ISO timestamps from the SDK or Python's {@code isoformat}) must not allocate parsers or throw per
 * row, and the AUTO grammar is looser than any single pattern.
 *
 * <p>Timestamps and dates:
 * <ul>
 *   <li>{@code YYYY-MM-DD} alone (midnight), or followed by {@code T} or a space and {@code HH24[:MI[:SS[.F…]]]}
 *       (1–9 fraction digits), then an optional offset {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or
 *       {@code ±HH}, with or without a space before it;</li>
 *   <li>{@code MM/DD/YYYY} alone or with {@code HH24:MI:SS[.F…]} (slashes mean month first);</li>
 *   <li>{@code DD-MON-YYYY};</li>
 *   <li>RFC forms {@code [DY, ]DD MON YYYY HH:MI:SS[.F…] [AM|PM] [±HHMM]};</li>
 *   <li>{@code DY MON DD HH24:MI:SS ±HHMM YYYY} (the Twitter form).</li>
 * </ul>
 * Times: {@code HH24:MI[:SS[.F…]]} and {@code HH12:MI[:SS[.F…]] AM|PM}; a trailing offset is recognised so
 * that the caller can reject it (HP drops offset-bearing TIME values, KC-E2E {@code time_offset}). Seconds
 * 60/61 are rejected.
 */
final class TemporalParser {

    /** A recognised date-time: {@code time} is midnight for a date alone; {@code offset} null when none was given. */
    record Parsed(LocalDate date, LocalTime time, ZoneOffset offset) {
    }

    /** A recognised time of day; {@code hasOffset} when an offset followed it. */
    record ParsedTime(LocalTime time, boolean hasOffset) {
    }

    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    private final String s;
    private int pos;

    private TemporalParser(String s) {
        this.s = s;
    }

    /** A date or timestamp in an AUTO format, or null. */
    static Parsed parseTimestamp(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            TemporalParser p = new TemporalParser(s);
            Parsed r;
            char c0 = s.charAt(0);
            if (Character.isDigit(c0)) {
                r = p.isoOrSlashOrDashMonth();
                if (r == null) {
                    r = new TemporalParser(s).rfc();
                }
            } else {
                r = p.rfc();
                if (r == null) {
                    r = new TemporalParser(s).twitter();
                }
            }
            return r;
        } catch (DateTimeException | NumberFormatException e) {
            return null;  // e.g. 2024-02-30, 25:00
        }
    }

    /** A time of day in an AUTO time format, or null. */
    static ParsedTime parseTime(String text) {
        String s = text.trim();
        try {
            TemporalParser p = new TemporalParser(s);
            LocalTime t = p.timeOfDay(true);
            if (t == null) {
                return null;
            }
            if (p.pos == s.length()) {
                return new ParsedTime(t, false);
            }
            int save = p.pos;
            p.skipSpaces();
            ZoneOffset offset = p.offset();
            if (offset != null && p.pos == s.length()) {
                return new ParsedTime(t, true);
            }
            p.pos = save;
            return null;
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** True for an optional minus and 1–19 digits: Snowflake reads it as an epoch by magnitude. */
    static boolean isIntegerString(String text) {
        String s = text.trim();
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (i == s.length() || s.length() - i > 19) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- grammar

    private Parsed isoOrSlashOrDashMonth() {
        int a = digits(1, 4);
        if (a < 0 || pos >= s.length()) {
            return null;
        }
        char sep = s.charAt(pos);
        if (sep == '-' && pos == 4) {
            pos++;
            int month = digits(1, 2);
            if (month < 0 || !accept('-')) {
                return null;
            }
            int day = digits(1, 2);
            if (day < 0) {
                return null;
            }
            LocalDate date = LocalDate.of(a, month, day);
            return timeAndOffset(date, true);
        }
        if (sep == '/') {
            pos++;
            int day = digits(1, 2);
            if (day < 0 || !accept('/')) {
                return null;
            }
            int year = digits(4, 4);
            if (year < 0) {
                return null;
            }
            return timeAndOffset(LocalDate.of(year, a, day), false);
        }
        if (sep == '-') {
            // DD-MON-YYYY
            pos++;
            int month = monthName();
            if (month < 0 || !accept('-')) {
                return null;
            }
            int year = digits(4, 4);
            if (year < 0 || pos != s.length()) {
                return null;
            }
            return new Parsed(LocalDate.of(year, month, a), LocalTime.MIDNIGHT, null);
        }
        return null;
    }

    /** After a date: end, or [T| ]time [ ][offset]. {@code allowT}: ISO dates take 'T', slash dates do not. */
    private Parsed timeAndOffset(LocalDate date, boolean allowT) {
        if (pos == s.length()) {
            return new Parsed(date, LocalTime.MIDNIGHT, null);
        }
        char c = s.charAt(pos);
        if (c == 'T' && allowT) {
            pos++;
        } else if (c == ' ') {
            skipSpaces();
        } else {
            return null;
        }
        LocalTime time = timeOfDay(false);
        if (time == null) {
            return null;
        }
        if (pos == s.length()) {
            return new Parsed(date, time, null);
        }
        skipSpaces();
        ZoneOffset offset = offset();
        if (offset == null || pos != s.length()) {
            return null;
        }
        return new Parsed(date, time, offset);
    }

    /** {@code [DY,] DD MON YYYY HH:MI:SS[.F] [AM|PM] [±HHMM]}. */
    private Parsed rfc() {
        if (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            if (dayName() < 0 || !accept(',')) {
                return null;
            }
            skipSpaces();
        }
        int day = digits(1, 2);
        if (day < 0 || !accept(' ')) {
            return null;
        }
        int month = monthName();
        if (month < 0 || !accept(' ')) {
            return null;
        }
        int year = digits(4, 4);
        if (year < 0 || !accept(' ')) {
            return null;
        }
        LocalTime time = timeOfDay(true);
        if (time == null) {
            return null;
        }
        ZoneOffset offset = null;
        if (pos < s.length()) {
            skipSpaces();
            offset = offset();
            if (offset == null || pos != s.length()) {
                return null;
            }
        }
        return new Parsed(LocalDate.of(year, month, day), time, offset);
    }

    /** {@code DY MON DD HH24:MI:SS ±HHMM YYYY}. */
    private Parsed twitter() {
        if (dayName() < 0 || !accept(' ')) {
            return null;
        }
        int month = monthName();
        if (month < 0 || !accept(' ')) {
            return null;
        }
        int day = digits(1, 2);
        if (day < 0 || !accept(' ')) {
            return null;
        }
        LocalTime time = timeOfDay(false);
        if (time == null || !accept(' ')) {
            return null;
        }
        ZoneOffset offset = offset();
        if (offset == null || !accept(' ')) {
            return null;
        }
        int year = digits(4, 4);
        if (year < 0 || pos != s.length()) {
            return null;
        }
        return new Parsed(LocalDate.of(year, month, day), time, offset);
    }

    /**
     * {@code HH[:MI[:SS[.F{1,9}]]]}, optionally {@code  AM|PM} when {@code allowMeridiem}. An hour alone is
     * accepted only after a date ({@code 2013-04-28T20}); a bare time needs minutes.
     */
    private LocalTime timeOfDay(boolean allowMeridiem) {
        int start = pos;
        int hour = digits(1, 2);
        if (hour < 0) {
            return null;
        }
        int minute = 0;
        int second = 0;
        int nanos = 0;
        boolean hasMinutes = false;
        if (accept(':')) {
            minute = digits(2, 2);
            if (minute < 0) {
                return null;
            }
            hasMinutes = true;
            if (accept(':')) {
                second = digits(2, 2);
                if (second < 0) {
                    return null;
                }
                if (accept('.')) {
                    int fracStart = pos;
                    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                        pos++;
                    }
                    int n = pos - fracStart;
                    if (n == 0 || n > 9) {
                        return null;
                    }
                    nanos = Integer.parseInt(s, fracStart, pos, 10);
                    for (int i = n; i < 9; i++) {
                        nanos *= 10;
                    }
                }
            }
        }
        if (!hasMinutes && allowMeridiem) {
            // A bare hour is not a time ("12" is an integer string); RFC forms always have minutes.
            pos = start;
            return null;
        }
        if (allowMeridiem && pos < s.length()) {
            int save = pos;
            skipSpaces();
            if (pos + 2 <= s.length() && s.regionMatches(true, pos, "AM", 0, 2)) {
                pos += 2;
                if (hour < 1 || hour > 12) {
                    return null;
                }
                hour = hour == 12 ? 0 : hour;
            } else if (pos + 2 <= s.length() && s.regionMatches(true, pos, "PM", 0, 2)) {
                pos += 2;
                if (hour < 1 || hour > 12) {
                    return null;
                }
                hour = hour == 12 ? 12 : hour + 12;
            } else {
                pos = save;
            }
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    /** {@code Z}, {@code ±HH:MM}, {@code ±HHMM}, {@code ±HH}; null when none. */
    private ZoneOffset offset() {
        if (pos >= s.length()) {
            return null;
        }
        char c = s.charAt(pos);
        if (c == 'Z' || c == 'z') {
            pos++;
            return ZoneOffset.UTC;
        }
        if (c != '+' && c != '-') {
            return null;
        }
        pos++;
        int hours = digits(2, 2);
        if (hours < 0) {
            return null;
        }
        int minutes = 0;
        if (accept(':')) {
            minutes = digits(2, 2);
            if (minutes < 0) {
                return null;
            }
        } else if (pos + 1 < s.length() && Character.isDigit(s.charAt(pos))) {
            minutes = digits(2, 2);
            if (minutes < 0) {
                return null;
            }
        }
        return c == '-' ? ZoneOffset.ofHoursMinutes(-hours, -minutes) : ZoneOffset.ofHoursMinutes(hours, minutes);
    }

    private int monthName() {
        if (pos + 3 > s.length()) {
            return -1;
        }
        String m = s.substring(pos, pos + 3).toUpperCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(m)) {
                pos += 3;
                return i + 1;
            }
        }
        return -1;
    }

    private int dayName() {
        int start = pos;
        while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
            pos++;
        }
        return pos - start == 3 ? 0 : -1;
    }

    /** Reads min..max digits; -1 (position unchanged) when fewer than min. */
    private int digits(int min, int max) {
        int start = pos;
        int v = 0;
        while (pos < s.length() && pos - start < max) {
            char c = s.charAt(pos);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            pos++;
        }
        if (pos - start < min) {
            pos = start;
            return -1;
        }
        return v;
    }

    private boolean accept(char c) {
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
    }
}
