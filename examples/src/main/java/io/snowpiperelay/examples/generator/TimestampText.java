package io.snowpiperelay.examples.generator;

import java.time.LocalDate;

/**
 * Formats epoch seconds as {@code YYYY-MM-DD HH:MM:SS} (UTC), the text the {@code DATETIME} (TIMESTAMP_NTZ)
 * columns receive. Caches the date part: consecutive events share a day, and this runs once per event.
 * Not thread-safe.
 */
final class TimestampText {

    private static final long SECONDS_PER_DAY = 86_400;

    private long cachedDay = Long.MIN_VALUE;
    private String cachedDatePrefix;
    private final char[] buffer = new char[19];

    String format(long epochSecond) {
        long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        if (day != cachedDay) {
            cachedDay = day;
            cachedDatePrefix = LocalDate.ofEpochDay(day) + " ";
            cachedDatePrefix.getChars(0, 11, buffer, 0);
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        twoDigits(secondOfDay / 3600, 11);
        buffer[13] = ':';
        twoDigits(secondOfDay / 60 % 60, 14);
        buffer[16] = ':';
        twoDigits(secondOfDay % 60, 17);
        return new String(buffer);
    }

    private void twoDigits(int value, int at) {
        buffer[at] = (char) ('0' + value / 10);
        buffer[at + 1] = (char) ('0' + value % 10);
    }
}
