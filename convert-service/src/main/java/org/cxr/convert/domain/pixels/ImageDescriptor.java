package org.cxr.convert.domain.pixels;

/**
 * The Image Pixel module attributes that say how stored pixel values are laid out.
 *
 * @param signed PixelRepresentation == 1
 * @param planarConfiguration 0 = interleaved samples, 1 = one plane per sample (colour only)
 */
public record ImageDescriptor(
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        boolean signed,
        String photometricInterpretation,
        int planarConfiguration,
        int numberOfFrames) {

    public int pixelsPerFrame() {
        return rows * columns;
    }
}
