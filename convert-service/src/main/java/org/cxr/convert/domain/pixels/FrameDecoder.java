package org.cxr.convert.domain.pixels;

/** Decodes the pixel data of one frame in one transfer syntax. Implementations are thread-safe. */
public interface FrameDecoder {
    /**
     * @param frame for native (uncompressed) syntaxes the frame's bytes as stored; for encapsulated
     *              syntaxes the frame's compressed bitstream (its fragments concatenated)
     */
    DecodedFrame decode(byte[] frame, ImageDescriptor descriptor) throws PixelDecodeException;

    /**
     * As {@link #decode}, except that the bits above BitsStored may be left as the codestream gave
     * them (not masked, not sign-extended): for a caller that reads only the low BitsStored bits
     * of each sample (the recipe), so the decoding thread saves a pass over the image. The samples
     * are in an array from {@code buffers} ({@link SampleBuffers#NONE}: a new one), which the caller
     * may {@link SampleBuffers#recycle} once done with the frame; a decoder that allocates its own
     * ignores them.
     */
    default DecodedFrame decodeUnmasked(byte[] frame, ImageDescriptor descriptor, SampleBuffers buffers)
            throws PixelDecodeException {
        return decode(frame, descriptor);
    }
}
