package org.cxr.generator.image;

/**
 * The pixel format of one generated image.
 *
 * @param frontal             frontal (PA/AP) or lateral anatomy
 * @param photometric         MONOCHROME1 (high values dark) or MONOCHROME2 (high values bright)
 * @param pixelRepresentation 0 unsigned, 1 two's complement (values centred on zero)
 */
public record ImageSpec(
        int rows,
        int columns,
        int bitsAllocated,
        int bitsStored,
        int pixelRepresentation,
        String photometric,
        boolean frontal,
        EncodedSyntax syntax) {

    public static final String MONOCHROME1 = "MONOCHROME1";
    public static final String MONOCHROME2 = "MONOCHROME2";

    public ImageSpec {
        if (rows < 1 || columns < 1 || rows > 65535 || columns > 65535) {
            throw new IllegalArgumentException("bad image size " + rows + "x" + columns);
        }
        if (bitsAllocated != 8 && bitsAllocated != 16 || bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new IllegalArgumentException("bad bit depth " + bitsStored + "/" + bitsAllocated);
        }
        if (pixelRepresentation != 0 && pixelRepresentation != 1) {
            throw new IllegalArgumentException("PixelRepresentation is 0 or 1");
        }
        if (!MONOCHROME1.equals(photometric) && !MONOCHROME2.equals(photometric)) {
            throw new IllegalArgumentException("photometric " + photometric);
        }
        if (syntax == EncodedSyntax.JPEG_BASELINE && (bitsAllocated != 8 || pixelRepresentation != 0)) {
            throw new IllegalArgumentException("JPEG baseline holds unsigned 8-bit samples only");
        }
    }

    public int bytesPerSample() {
        return bitsAllocated / 8;
    }

    /** Size of the native (uncompressed) pixel data. */
    public long nativeBytes() {
        return (long) rows * columns * bytesPerSample();
    }

    /** Smallest and largest stored value. */
    public int minStored() {
        return pixelRepresentation == 1 ? -(1 << (bitsStored - 1)) : 0;
    }

    public int maxStored() {
        return pixelRepresentation == 1 ? (1 << (bitsStored - 1)) - 1 : (1 << bitsStored) - 1;
    }
}
