package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * The frame around every codec of this package: the descriptor's geometry is checked before
 * anything is allocated, a runtime failure inside the codec (an index past the end of a corrupt
 * stream, ...) becomes a {@link PixelDecodeException} naming the codec, and {@link #decode}'s
 * samples are masked and sign-extended as pydicom presents stored values ({@link CodecSupport#finish});
 * {@link #decodeUnmasked}'s are as the codec gives them, in an array from the caller's buffers.
 */
abstract class GuardedDecoder implements FrameDecoder {
    private final String codec;

    GuardedDecoder(String codec) {
        this.codec = codec;
    }

    @Override
    public final DecodedFrame decode(byte[] frame, ImageDescriptor d) throws PixelDecodeException {
        Samples samples = guardedDecode(frame, d, SampleBuffers.NONE);
        return CodecSupport.finish(samples.values(), samples.bits(), d);
    }

    @Override
    public final DecodedFrame decodeUnmasked(byte[] frame, ImageDescriptor d, SampleBuffers buffers)
            throws PixelDecodeException {
        return new DecodedFrame(d.rows(), d.columns(), d.samplesPerPixel(), guardedDecode(frame, d, buffers).values());
    }

    private Samples guardedDecode(byte[] frame, ImageDescriptor d, SampleBuffers buffers) throws PixelDecodeException {
        int total = CodecSupport.sampleCount(d, codec);
        try {
            return decodeSamples(frame, d, total, buffers);
        } catch (RuntimeException e) {
            throw new PixelDecodeException(codec + ": corrupt or truncated codestream (" + e + ")", e);
        }
    }

    /**
     * Decoded samples, each in 0..2^bits - 1 by the codec's own arithmetic (its precision, clamping or
     * modulus), whatever the codestream holds; {@code bits} 32: no such bound.
     */
    record Samples(int[] values, int bits) {
    }

    /**
     * The {@code total} (rows x columns x samples per pixel) samples of the frame, interleaved, as
     * the codestream gives them, in {@code buffers.take(total)} (all zeros, as a new array); the
     * descriptor's geometry is already checked.
     */
    abstract Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers)
            throws PixelDecodeException;
}
