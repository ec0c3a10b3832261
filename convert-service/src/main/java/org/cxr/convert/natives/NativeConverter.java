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
     * Loads the native libraries now: OpenCV, with a first encode (a broken OpenCV throws here), and
     * OpenJPEG (a failure to load it is reported by each JPEG 2000 decode instead). Loading takes a
     * few hundred milliseconds of CPU: a caller can start it early, on another thread.
     */
    public static void preload() {
        new OpenCvEncoder().jpeg(new EightBitImage(2, 2, new byte[4]), Converter.JPEG_QUALITY);
        try {
            OpenJpeg.version();
        } catch (PixelDecodeException e) {
            // not fatal: only JPEG 2000 needs it, and its decodes say why it is missing
        }
    }

    /** No memory cap, default options. */
    public static Converter standard() {
        return create(MemoryBudget.unlimited(), Converter.Options.DEFAULT);
    }
}
