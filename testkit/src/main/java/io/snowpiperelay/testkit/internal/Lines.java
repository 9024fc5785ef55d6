package io.snowpiperelay.testkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finding the line breaks of an NDJSON body eight bytes at a time: {@link PendingBatch#map()} splits every
 * body into rows, and a byte-at-a-time loop over the whole body is a large share of the converting threads' work.
 */
final class Lines {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private Lines() {
    }

    /** The position of the first {@code '\n'} in {@code b[from, to)}, or {@code to} if there is none. */
    static int nextNewline(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;  // a zero byte where b has '\n'
            // The lowest flagged byte is the first zero byte (a borrow can only flag bytes above a real zero).
            long found = (x - ONES) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < to && b[i] != '\n') {
            i++;
        }
        return i;
    }
}
