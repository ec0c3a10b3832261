package org.cxr.convert.domain.pixels;

/** Decodes the pixel data of one frame in one transfer syntax. Implementations are thread-safe. */
public interface FrameDecoder {
    /**
     * @param frame for native (uncompressed) syntaxes the frame's bytes as stored; for encapsulated
     *              syntaxes the frame's compressed bitstream (its fragments concatenated)
     */
    DecodedFrame decode(byte[] frame, ImageDescriptor descriptor) throws PixelDecodeException;
}
