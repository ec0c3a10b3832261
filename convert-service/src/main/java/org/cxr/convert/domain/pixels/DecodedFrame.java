package org.cxr.convert.domain.pixels;

/**
 * Stored pixel values of one frame, row-major. For samplesPerPixel > 1 the samples are
 * interleaved (RGBRGB...). Values are the stored values as a DICOM reader without LUTs returns
 * them: masked to BitsStored and sign-extended when the pixel representation is signed.
 */
public record DecodedFrame(int rows, int columns, int samplesPerPixel, int[] samples) {
    public DecodedFrame {
        if ((long) rows * columns * samplesPerPixel != samples.length) {
            throw new IllegalArgumentException("expected " + rows + "x" + columns + "x" + samplesPerPixel
                    + " samples, got " + samples.length);
        }
    }
}
