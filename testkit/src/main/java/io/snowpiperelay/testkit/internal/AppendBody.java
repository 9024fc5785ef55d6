package io.snowpiperelay.testkit.internal;

import com.github.luben.zstd.Zstd;

/**
 * The NDJSON of one append request while it waits for its commit: either the plain bytes, or the zstd frame it
 * arrived in (checked when it arrived) together with its decompressed length.
 *
 * <p>Why keep the frame: pending appends live through the commit lag and any backlog, so they are what the young
 * collections copy and promote; the SDK's frames are 4–6 times smaller than their NDJSON. The frame is
 * decompressed again just before its rows are converted, into a buffer the converting thread reuses, so a request
 * costs two decompressions and no NDJSON-sized allocation (see {@code benchmarks/results/2026-12-02/NOTES.md}).
 *
 * <p>Immutable once built; the caller must not change the array it hands over.
 */
final class AppendBody {

    /** Scratch buffers above this size are not kept by a thread (a rare huge request should not pin memory). */
    static final int MAX_KEPT_SCRATCH = 4 * 1024 * 1024;

    private final byte[] bytes;
    private final boolean zstd;
    private final int ndjsonLength;

    private AppendBody(byte[] bytes, boolean zstd, int ndjsonLength) {
        this.bytes = bytes;
        this.zstd = zstd;
        this.ndjsonLength = ndjsonLength;
    }

    /** NDJSON as it is: {@code ndjson[0, length)}; the array is kept when it has exactly that length. */
    static AppendBody plain(byte[] ndjson, int length) {
        byte[] exact = ndjson.length == length ? ndjson : java.util.Arrays.copyOf(ndjson, length);
        return new AppendBody(exact, false, length);
    }

    /** One zstd frame (the whole array) that decompresses to exactly {@code ndjsonLength} bytes. */
    static AppendBody zstd(byte[] frame, int ndjsonLength) {
        return new AppendBody(frame, true, ndjsonLength);
    }

    /** Length of the NDJSON; the bound of pending data counts this. */
    int ndjsonLength() {
        return ndjsonLength;
    }

    /** Whether the body is held as a zstd frame. */
    boolean compressed() {
        return zstd;
    }

    /** Bytes held on the heap while pending. */
    int heldBytes() {
        return bytes.length;
    }

    /**
     * The NDJSON in {@code [0, ndjsonLength())} of the returned array: this body's own array, or {@code scratch}
     * (when large enough) or a new array holding the decompressed frame.
     */
    byte[] ndjson(byte[] scratch) {
        if (!zstd) {
            return bytes;
        }
        byte[] out = scratch != null && scratch.length >= ndjsonLength ? scratch : new byte[ndjsonLength];
        long n = Zstd.decompressByteArray(out, 0, ndjsonLength, bytes, 0, bytes.length);
        if (Zstd.isError(n) || n != ndjsonLength) {
            // it decompressed to exactly this length when it arrived: only a bug could get here
            throw new IllegalStateException("pending zstd frame no longer decompresses: "
                    + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes instead of " + ndjsonLength));
        }
        return out;
    }
}
