package org.cxr.convert.domain.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SampleBuffersTest {

    @Test
    void aRecycledArrayComesBackZeroedForTheSameLengthOnly() {
        SampleBuffers buffers = new SampleBuffers(2);
        int n = 40_000; // zeroed in pieces: two whole, one part
        int[] a = buffers.take(n);
        assertThat(a).hasSize(n).containsOnly(0);
        Arrays.fill(a, 7);
        buffers.recycle(a);
        assertThat(buffers.take(n - 1)).isNotSameAs(a).hasSize(n - 1);
        int[] again = buffers.take(n);
        assertThat(again).isSameAs(a).containsOnly(0);
        assertThat(buffers.take(n)).isNotSameAs(a); // taken once only
    }

    @Test
    void keepsAtMostItsCapacityDroppingTheOldest() {
        SampleBuffers buffers = new SampleBuffers(2);
        int[] first = new int[10];
        int[] second = new int[10];
        int[] third = new int[10];
        buffers.recycle(first);
        buffers.recycle(second);
        buffers.recycle(third);
        assertThat(buffers.idle()).isEqualTo(2);
        assertThat(buffers.take(10)).isSameAs(second);
        assertThat(buffers.take(10)).isSameAs(third);
        assertThat(buffers.take(10)).isNotSameAs(first);
    }

    @Test
    void noneKeepsNothing() {
        int[] a = new int[5];
        Arrays.fill(a, 3);
        SampleBuffers.NONE.recycle(a);
        assertThat(a).containsOnly(3); // not even zeroed: nobody takes it
        assertThat(SampleBuffers.NONE.idle()).isZero();
        assertThat(SampleBuffers.NONE.take(5)).isNotSameAs(a).containsOnly(0);
    }
}
