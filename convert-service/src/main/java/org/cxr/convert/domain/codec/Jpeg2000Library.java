package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * The JPEG 2000 library {@link Jpeg2000Decoder} hands a checked codestream to (OpenJPEG, native
 * code: {@code org.cxr.convert.natives.OpenJpeg}). Implementations are thread-safe.
 */
public interface Jpeg2000Library {
    /**
     * The samples of the J2K codestream starting at {@code start} of {@code data}, as the library
     * gives them (sign per the codestream), row-major, components interleaved. The decoded image
     * must be {@code columns x rows x components} at full resolution; anything else, or a corrupt
     * stream, is a PixelDecodeException.
     *
     * @param threads worker threads for this one decode (1: the caller's thread only)
     * @param out     {@code columns x rows x components} samples to write them to
     */
    void decode(byte[] data, int start, int columns, int rows, int components, int threads, int[] out)
            throws PixelDecodeException;
}
