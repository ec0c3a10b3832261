package org.cxr.convert.domain;

import org.cxr.convert.domain.recipe.EightBitImage;
import org.cxr.events.ImageMetadata;

/** The outcome of converting one instance: {@link Converted} or {@link Failed}. */
public sealed interface ConversionResult permits ConversionResult.Converted, ConversionResult.Failed {
    InstanceIds ids();

    Timings timings();

    /**
     * A converted image.
     *
     * @param jpg           the JPG (null when not requested)
     * @param png           the 8-bit image before JPEG encoding as PNG (null when not requested)
     * @param image         the 8-bit image before JPEG encoding (null unless requested)
     * @param metadata      the header values of the metadata columns, with the image's Rows and Columns
     * @param constantImage every stored value was equal: the image is uniform (0, or 255 for MONOCHROME1)
     */
    record Converted(InstanceIds ids, byte[] jpg, byte[] png, EightBitImage image, int rows, int columns,
                     ImageMetadata metadata, boolean constantImage, String transferSyntaxUid, Timings timings)
            implements ConversionResult {
    }

    /** A failure with its reason and a message for people. */
    record Failed(InstanceIds ids, ConversionFailure reason, String message, Timings timings)
            implements ConversionResult {
    }
}
