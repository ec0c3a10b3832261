package org.cxr.convert.domain.encode;

import org.cxr.convert.domain.recipe.EightBitImage;

/** Encodes the final 8-bit image. Implementations are thread-safe. */
public interface ImageEncoder {
    /** Baseline JPEG, 8-bit, one channel, at the given quality (the recipe uses 95). */
    byte[] jpeg(EightBitImage image, int quality);

    /** Lossless PNG (for exact comparison with the reference's pre-encode image). */
    byte[] png(EightBitImage image);
}
