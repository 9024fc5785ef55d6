package io.snowpiperelay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UncommittedWindowTest {
    private final UncommittedWindow window = new UncommittedWindow();

    @Test
    void aCommittedTokenReleasesTheChunksItCoversAndNoMore() {
        window.add(100, 100, 1_000, 11);
        window.add(200, 100, 2_000, 22);
        window.add(250, 50, 500, 33);

        window.release(199); // inside the second chunk: only the first is covered
        assertThat(window.rows()).isEqualTo(150);
        assertThat(window.bytes()).isEqualTo(2_500);
        assertThat(window.oldestAppendedNanos()).isEqualTo(22);

        window.release(250);
        assertThat(window.rows()).isZero();
        assertThat(window.bytes()).isZero();
        assertThat(window.oldestAppendedNanos()).isZero();
    }

    @Test
    void theOldestAppendIsTheFirstIntoAnEmptyWindow() {
        window.add(10, 10, 100, 5);
        window.add(20, 10, 100, 9);
        assertThat(window.oldestAppendedNanos()).isEqualTo(5);
    }

    @Test
    void clearForgetsEverything() {
        window.add(10, 10, 100, 5);
        window.clear();
        assertThat(window.rows()).isZero();
        assertThat(window.bytes()).isZero();
        assertThat(window.oldestAppendedNanos()).isZero();
        window.release(Long.MAX_VALUE); // nothing left to release
        assertThat(window.rows()).isZero();
    }
}
