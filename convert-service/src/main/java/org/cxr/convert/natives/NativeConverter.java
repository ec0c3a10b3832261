package org.cxr.convert.natives;

import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.MemoryBudget;
import org.cxr.convert.domain.pixels.FrameDecoders;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.recipe.EightBitImage;

/** The domain's converter with its native parts: OpenJPEG for JPEG 2000, OpenCV for encoding. */
public final class NativeConverter {
    private static final FrameDecoders DECODERS = FrameDecoders.standard(new OpenJpeg());

    private NativeConverter() {
    }

    /** Every transfer syntax the converter decodes. */
    public static FrameDecoders decoders() {
        return DECODERS;
    }

    public static Converter create(MemoryBudget budget, Converter.Options options) {
        return new Converter(DECODERS, new OpenCvEncoder(), budget, options);
    }

    /**
     * Loads the native libraries now: OpenCV ({@link #preloadEncoder}) and OpenJPEG (a failure to
     * load it is reported by each JPEG 2000 decode instead).
     */
    public static void preload() {
        preloadEncoder();
        try {
            OpenJpeg.version();
        } catch (PixelDecodeException e) {
            // not fatal: only JPEG 2000 needs it, and its decodes say why it is missing
        }
    }

    /**
     * Loads OpenCV now, with a first encode (a broken OpenCV throws here): a few hundred
     * milliseconds of CPU, which a caller can start early, on another thread. OpenJPEG is left to
     * the first JPEG 2000 file (~70 ms of CPU that a run without one does not spend).
     */
    public static void preloadEncoder() {
        new OpenCvEncoder().jpeg(new EightBitImage(2, 2, new byte[4]), Converter.JPEG_QUALITY);
    }

    /** No memory cap, default options. */
    public static Converter standard() {
        return create(MemoryBudget.unlimited(), Converter.Options.DEFAULT);
    }
}
