package org.cxr.convert.domain.pixels;

/**
 * Stored pixel values of one frame, row-major. For samplesPerPixel > 1 the samples are
 * interleaved (RGBRGB...). From {@link FrameDecoder#decode}, values are the stored values as a
 * DICOM reader without LUTs returns them: masked to BitsStored and sign-extended when the pixel
 * representation is signed; from {@link FrameDecoder#decodeUnmasked}, the bits above BitsStored
 * may be as the codestream gave them ({@link #storedValues} makes them stored values).
 */
public record DecodedFrame(int rows, int columns, int samplesPerPixel, int[] samples) {
    public DecodedFrame {
        if ((long) rows * columns * samplesPerPixel != samples.length) {
            throw new IllegalArgumentException("expected " + rows + "x" + columns + "x" + samplesPerPixel
                    + " samples, got " + samples.length);
        }
    }

    /**
     * Masks {@code samples} in place to their low {@code bits} (1..31), sign-extended when {@code signed}:
     * the stored values, as pydicom's pixel_array presents them. One loop per case, so that the JIT's
     * client compiler does not test the case per sample.
     */
    public static void storedValues(int[] samples, int bits, boolean signed) {
        if (signed) {
            int shift = 32 - bits;
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (samples[i] << shift) >> shift;
            }
        } else {
            int mask = (1 << bits) - 1;
            for (int i = 0; i < samples.length; i++) {
                samples[i] &= mask;
            }
        }
    }
}
