package org.cxr.convert.natives;

import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.MemoryBudget;
import org.cxr.convert.domain.pixels.FrameDecoders;

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

    /** No memory cap, default options. */
    public static Converter standard() {
        return create(MemoryBudget.unlimited(), Converter.Options.DEFAULT);
    }
}
