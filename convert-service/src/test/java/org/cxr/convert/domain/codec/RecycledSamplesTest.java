package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.NativeFrameDecoder;
import org.cxr.convert.domain.pixels.SampleBuffers;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding into a recycled sample array (the CLI's lanes, {@link SampleBuffers}) gives the samples a
 * fresh array gives, for every codec: the array the recipe wrote over (it masks samples in place) is
 * zeroed before its next decode, and the codecs that fill only part of it (RLE's planes are OR-ed in)
 * see zeros. Every codec takes its array from the buffers (the same array comes back).
 */
class RecycledSamplesTest {

    static Stream<Arguments> files() {
        return CodecReferenceTest.files().map(a -> Arguments.of(a.get()[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void aRecycledArrayGivesTheSameSamples(String file) throws Exception {
        Path path = SharedData.require("data/dicom/" + file);
        DicomFrames dicom = DicomFrames.read(path);
        FrameDecoder decoder = NativeConverter.decoders().forTransferSyntax(dicom.transferSyntax()).orElseThrow();
        ImageDescriptor d = dicom.descriptor();
        byte[] frame = dicom.frame(0);
        int[] fresh = decoder.decodeUnmasked(frame, d, SampleBuffers.NONE).samples();

        SampleBuffers buffers = new SampleBuffers(1);
        DecodedFrame first = decoder.decodeUnmasked(frame, d, buffers);
        assertThat(first.samples()).isEqualTo(fresh);
        Arrays.fill(first.samples(), 0x5A5A5A5A); // whatever the consumer left in it
        buffers.recycle(first.samples());
        DecodedFrame second = decoder.decodeUnmasked(frame, d, buffers);
        assertThat(second.samples()).as("recycled").isSameAs(first.samples());
        assertThat(second.samples()).isEqualTo(fresh);
    }

    @Test
    void nativePixelDataToo() throws Exception {
        ImageDescriptor d = new ImageDescriptor(30, 40, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        byte[] frame = new byte[30 * 40 * 2];
        new Random(5).nextBytes(frame);
        FrameDecoder decoder = new NativeFrameDecoder(false);
        int[] fresh = decoder.decodeUnmasked(frame, d, SampleBuffers.NONE).samples();
        SampleBuffers buffers = new SampleBuffers(1);
        int[] first = decoder.decodeUnmasked(frame, d, buffers).samples();
        Arrays.fill(first, -1);
        buffers.recycle(first);
        int[] second = decoder.decodeUnmasked(frame, d, buffers).samples();
        assertThat(second).isSameAs(first).isEqualTo(fresh);
    }
}
