package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.natives.OpenJpeg;
import org.junit.jupiter.api.Test;

/**
 * OpenJPEG through {@link Jpeg2000Decoder} on a 16x12 16-bit unsigned lossless stream made by
 * Pillow 9.4 with OpenJPEG 2.5.0 (Debian bookworm, /usr/bin/python3):
 * <pre>
 * y, x = np.mgrid[0:12, 0:16]; a = ((x * 2731 + y * 40503) % 65536).astype(np.uint16)
 * Image.fromarray(a, mode='I;16').save(out, format='JPEG2000', no_jp2=True, irreversible=False)
 * </pre>
 * ({@code no_jp2=False} for the JP2 file). The values cover the whole 16-bit range, so the sign
 * handling shows.
 */
class Jpeg2000DecoderTest {
    private static final OpenJpeg OPENJPEG = new OpenJpeg();
    static final int COLUMNS = 16;
    static final int ROWS = 12;
    static final byte[] J2K = Base64.getDecoder().decode(
            "/0//UQApAAAAAAAQAAAADAAAAAAAAAAAAAAAEAAAAAwAAAAAAAAAAAABDwEB/1IADAAAAAEAAwQEAAH/XAANQICIiJCIiJCIiJD/"
            + "ZAAlAAFDcmVhdGVkIGJ5IE9wZW5KUEVHIHZlcnNpb24gMi41LjD/kAAKAAAAAAEAAAH/k8P/AAQACcT3ed815R/D/wMEw/8DAsH/"
            + "QYEADniVSy5Nb6p/Cso+tfMCkQ/Dx/4YLT/xIYj/YkIAG09AM/PwbogXZaOy37eDajr9FH2xPxHrM+d/hYI3X9OBa4b0w6R1kCQA"
            + "yDinHxHO8RaPXp1ENmp/BCFmZ4fH/hhLP/Ej2P9iQcAj0BXt/o9EwAtvOq21Jvd+6T30fIgAcpEK96k4KY96IVeX2HRBE8G9bq/8"
            + "1191HLbeCbUpdf0PrCFX5ytjIhxCiJVsoezOCSc4c37pJzsx7Oc6sJYg3eekuzHAVnjZtofQ2Rad/wkfUstrfKXEX/9//9k=");
    static final byte[] JP2 = Base64.getDecoder().decode(
            "AAAADGpQICANCocKAAAAFGZ0eXBqcDIgAAAAAGpwMiAAAAAtanAyaAAAABZpaGRyAAAADAAAABAAAQ8HAAAAAAAPY29scgEAAAAA"
            + "ABEAAAF7anAyY/9P/1EAKQAAAAAAEAAAAAwAAAAAAAAAAAAAABAAAAAMAAAAAAAAAAAAAQ8BAf9SAAwAAAABAAMEBAAB/1wADUCA"
            + "iIiQiIiQiIiQ/2QAJQABQ3JlYXRlZCBieSBPcGVuSlBFRyB2ZXJzaW9uIDIuNS4w/5AACgAAAAABAAAB/5PD/wAEAAnE93nfNeUf"
            + "w/8DBMP/AwLB/0GBAA54lUsuTW+qfwrKPrXzApEPw8f+GC0/8SGI/2JCABtPQDPz8G6IF2Wjst+3g2o6/RR9sT8R6zPnf4WCN1/T"
            + "gWuG9MOkdZAkAMg4px8RzvEWj16dRDZqfwQhZmeHx/4YSz/xI9j/YkHAI9AV7f6PRMALbzqttSb3fuk99HyIAHKRCvepOCmPeiFX"
            + "l9h0QRPBvW6v/NdfdRy23gm1KXX9D6whV+crYyIcQoiVbKHszgknOHN+6Sc7MeznOrCWIN3npLsxwFZ42baH0NkWnf8JH1LLa3yl"
            + "xF//f//Z");

    static ImageDescriptor descriptor(int rows, int columns, int bitsStored, boolean signed) {
        return new ImageDescriptor(rows, columns, 1, 16, bitsStored, bitsStored - 1, signed, "MONOCHROME2", 0, 1);
    }

    static int[] expected() {
        int[] v = new int[ROWS * COLUMNS];
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS; x++) {
                v[y * COLUMNS + x] = (x * 2731 + y * 40503) % 65536;
            }
        }
        return v;
    }

    @Test
    void decodesTheLosslessStreamExactlyOnOneOrManyThreads() throws Exception {
        ImageDescriptor d = descriptor(ROWS, COLUMNS, 16, false);
        assertThat(new Jpeg2000Decoder(OPENJPEG, 1).decode(J2K, d).samples()).containsExactly(expected());
        assertThat(new Jpeg2000Decoder(OPENJPEG, 4).decode(J2K, d).samples()).containsExactly(expected());
    }

    @Test
    void decodesTheCodestreamInsideAJp2File() throws Exception {
        assertThat(new Jpeg2000Decoder(OPENJPEG).decode(JP2, descriptor(ROWS, COLUMNS, 16, false)).samples())
                .containsExactly(expected());
    }

    @Test
    void unsignedCodestreamWithPixelRepresentationOneIsTwosComplementAsInPydicom() throws Exception {
        int[] want = Arrays.stream(expected()).map(v -> (short) v).toArray();
        assertThat(new Jpeg2000Decoder(OPENJPEG).decode(J2K, descriptor(ROWS, COLUMNS, 16, true)).samples())
                .containsExactly(want);
    }

    @Test
    void geometryThatDisagreesWithTheHeaderIsRefused() throws Exception {
        assertThatThrownBy(() -> new Jpeg2000Decoder(OPENJPEG).decode(J2K, descriptor(COLUMNS, ROWS, 16, false)))
                .isInstanceOf(PixelDecodeException.class).hasMessageContaining("codestream is 12x16");
        assertThat(new Jpeg2000Decoder(OPENJPEG).decode(J2K, descriptor(ROWS, COLUMNS, 12, false)).samples())
                .as("16-bit codestream in 16 allocated, 12 stored bits: masked as pydicom does")
                .containsExactly(Arrays.stream(expected()).map(v -> v & 0xFFF).toArray());
        ImageDescriptor eightBit = new ImageDescriptor(ROWS, COLUMNS, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);
        assertThatThrownBy(() -> new Jpeg2000Decoder(OPENJPEG).decode(J2K, eightBit))
                .isInstanceOf(PixelDecodeException.class).hasMessageContaining("precision 16 exceeds BitsAllocated 8");
    }

    @Test
    void concurrentDecodesDoNotSeeEachOthersStreams() throws Exception {
        Jpeg2000Decoder decoder = new Jpeg2000Decoder(OPENJPEG, 2);
        int[] unsigned = expected();
        int[] signed = Arrays.stream(unsigned).map(v -> (short) v).toArray();
        byte[] cut = Arrays.copyOf(J2K, J2K.length / 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int task = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        switch ((task + i) % 3) {
                            case 0 -> assertThat(decoder.decode(J2K, descriptor(ROWS, COLUMNS, 16, false)).samples())
                                    .containsExactly(unsigned);
                            case 1 -> assertThat(decoder.decode(JP2, descriptor(ROWS, COLUMNS, 16, true)).samples())
                                    .containsExactly(signed);
                            default -> assertThatThrownBy(() -> decoder.decode(cut, descriptor(ROWS, COLUMNS, 16, false)))
                                    .isInstanceOf(PixelDecodeException.class);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void truncatedStreamIsAPixelDecodeExceptionWithOpenJpegsReason() {
        byte[] cut = Arrays.copyOf(J2K, J2K.length * 2 / 3);
        assertThatThrownBy(() -> new Jpeg2000Decoder(OPENJPEG).decode(cut, descriptor(ROWS, COLUMNS, 16, false)))
                .isInstanceOf(PixelDecodeException.class).hasMessageStartingWith("JPEG 2000: ")
                .hasMessageContaining("OpenJPEG");
    }
}
