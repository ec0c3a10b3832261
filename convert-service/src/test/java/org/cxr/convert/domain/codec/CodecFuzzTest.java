package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.convert.natives.OpenJpeg;
import org.cxr.local.testing.SharedData;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Truncated and bit-flipped codestreams: every decoder must end quickly, with a frame or a
 * PixelDecodeException, never another exception, a hang or a huge allocation. Seeds are
 * streams the tests make themselves, plus small real files from ../shared when it is there.
 * JPEG 2000 is native code (OpenJPEG): a crash there would kill the test JVM and fail the build.
 * A decoded frame, however corrupt its stream, holds stored values only (in BitsStored's range):
 * codecs whose own arithmetic bounds the samples to BitsStored skip the mask (CodecSupport.finish).
 */
class CodecFuzzTest {
    private static final int TRUNCATIONS = 24;
    private static final int FLIPS = 120;

    record Seed(String name, FrameDecoder decoder, byte[] stream, ImageDescriptor descriptor) {
    }

    @Test
    void generatedStreams() throws Exception {
        List<Seed> seeds = new ArrayList<>();
        int[] img = JpegLosslessDecoderTest.image(40, 30, 1, 12, 7);
        ImageDescriptor d12 = new ImageDescriptor(30, 40, 1, 16, 12, 11, false, "MONOCHROME2", 0, 1);
        seeds.add(new Seed("rle", new RleLosslessDecoder(), TestEncoders.rle(img, 1200, 1, 2), d12));
        seeds.add(new Seed("jpeg-lossless", new JpegLosslessDecoder(), TestEncoders.jpegLossless(img, 40, 30, 1, 12, 7, 6), d12));
        seeds.add(new Seed("jpeg-ls", new JpegLsDecoder(), JpegLsDecoderTest.zeros4x4(0),
                new ImageDescriptor(4, 4, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1)));
        byte[] jpeg = JpegDctDecoderTest.jdkJpeg(JpegDctDecoderTest.gray(48, 40, 1), 0.8f);
        ImageDescriptor d8 = new ImageDescriptor(40, 48, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);
        seeds.add(new Seed("jpeg-baseline", new JpegLossyDecoder(), jpeg, d8));
        seeds.add(new Seed("jpeg-dct-ours", new JpegExtended12BitDecoder(), jpeg, d8));
        seeds.add(new Seed("jpeg2000", new Jpeg2000Decoder(new OpenJpeg()), Jpeg2000DecoderTest.J2K,
                Jpeg2000DecoderTest.descriptor(Jpeg2000DecoderTest.ROWS, Jpeg2000DecoderTest.COLUMNS, 16, false)));
        fuzz(seeds);
    }

    @Test
    void realStreams() throws Exception {
        SharedData.require("data/dicom/syntax-small");
        String[] files = {"syntax-small/MR_small_jpeg_ls_lossless.dcm", "syntax-small/JPGExtended.dcm",
            "syntax-small/jpeg_lossless_sel7.dcm", "syntax-small/MR_small_RLE.dcm", "edge-cases/GH195.dcm",
            "syntax-small/MR_small_jp2klossless.dcm", "syntax-small/JPEG2000.dcm", "edge-cases/GH364.dcm",
            "edge-cases/emri_small_jpeg_2k_lossless_too_short.dcm"};
        List<Seed> seeds = new ArrayList<>();
        for (String f : files) {
            Path p = SharedData.require("data/dicom/" + f);
            DicomFrames dicom = DicomFrames.read(p);
            FrameDecoder decoder = NativeConverter.decoders().forTransferSyntax(dicom.transferSyntax()).orElseThrow();
            seeds.add(new Seed(f, decoder, dicom.frame(0), dicom.descriptor()));
        }
        fuzz(seeds);
    }

    /** The first sample outside the range of BitsStored (sign-extended when signed), or null. */
    private static String outsideStoredRange(DecodedFrame frame, ImageDescriptor d) {
        int bits = d.bitsStored();
        long min = d.signed() ? -(1L << (bits - 1)) : 0;
        long max = d.signed() ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        int[] v = frame.samples();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < min || v[i] > max) {
                return "sample " + i + " is " + v[i] + ", outside " + min + ".." + max + " (BitsStored " + bits + ")";
            }
        }
        return null;
    }

    private static void fuzz(List<Seed> seeds) {
        List<String> failures = new ArrayList<>();
        for (Seed seed : seeds) {
            Random r = new Random(seed.name().hashCode());
            int[] outcomes = new int[2];
            long[] slowest = new long[1];
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < TRUNCATIONS + FLIPS; i++) {
                    byte[] s;
                    String what;
                    if (i < TRUNCATIONS) {
                        int len = (int) ((long) seed.stream().length * i / TRUNCATIONS);
                        s = Arrays.copyOf(seed.stream(), len);
                        what = "truncated to " + len;
                    } else {
                        s = seed.stream().clone();
                        int flips = 1 + r.nextInt(8);
                        // half of the flips in the first 200 bytes: headers and tables
                        int span = r.nextBoolean() ? Math.min(200, s.length) : s.length;
                        for (int k = 0; k < flips; k++) {
                            int at = r.nextInt(span);
                            s[at] ^= (byte) (1 << r.nextInt(8));
                        }
                        what = flips + " bit flip(s) #" + i;
                    }
                    long t = System.nanoTime();
                    try {
                        String outside = outsideStoredRange(seed.decoder().decode(s, seed.descriptor()), seed.descriptor());
                        if (outside != null) {
                            failures.add(seed.name() + " " + what + ": " + outside);
                        }
                        outcomes[0]++;
                    } catch (PixelDecodeException e) {
                        outcomes[1]++;
                    } catch (Throwable e) {
                        failures.add(seed.name() + " " + what + ": " + e);
                    }
                    slowest[0] = Math.max(slowest[0], System.nanoTime() - t);
                }
            }, seed.name());
            System.out.printf("codec-fuzz %-55s decoded %3d, PixelDecodeException %3d, slowest %.1f ms%n",
                    seed.name(), outcomes[0], outcomes[1], slowest[0] / 1e6);
            assertThat(slowest[0]).as("slowest decode of " + seed.name()).isLessThan(Duration.ofSeconds(10).toNanos());
        }
        assertThat(failures).as("decodes that ended with something else than a frame or PixelDecodeException").isEmpty();
    }
}
