package org.cxr.convert.domain.recipe;

/** An 8-bit grayscale image, row-major, one byte per pixel. */
public record EightBitImage(int rows, int columns, byte[] pixels) {
    public EightBitImage {
        if ((long) rows * columns != pixels.length) {
            throw new IllegalArgumentException(rows + "x" + columns + " needs " + (long) rows * columns
                    + " bytes, got " + pixels.length);
        }
    }

    public int get(int row, int column) {
        return pixels[row * columns + column] & 0xFF;
    }
}
