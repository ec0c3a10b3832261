package org.cxr.convert.natives;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cxr.convert.domain.encode.ImageEncoder;
import org.cxr.convert.domain.recipe.EightBitImage;

/**
 * OpenCV's encoders through bytedeco (the same libjpeg settings as Python's {@code cv2.imwrite}:
 * the output is byte-identical to the reference's JPG). Native memory is freed after each call.
 */
public final class OpenCvEncoder implements ImageEncoder {
    static {
        JavaCpp.configure();
    }

    @Override
    public byte[] jpeg(EightBitImage image, int quality) {
        return encode(".jpg", image, new int[]{IMWRITE_JPEG_QUALITY, quality});
    }

    @Override
    public byte[] png(EightBitImage image) {
        return encode(".png", image, new int[0]);
    }

    private static byte[] encode(String ext, EightBitImage image, int[] params) {
        try (BytePointer data = new BytePointer(image.pixels());
             Mat mat = new Mat(image.rows(), image.columns(), CV_8UC1, data);
             BytePointer out = new BytePointer();
             IntPointer p = new IntPointer(params)) {
            if (!imencode(ext, mat, out, p)) {
                throw new IllegalStateException("OpenCV could not encode a " + image.rows() + "x" + image.columns()
                        + " image as " + ext);
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
