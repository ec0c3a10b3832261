package org.cxr.convert.domain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Our libjpeg-islow IDCT (the 12-bit decoder's code, run at 8-bit precision) against libjpeg
 * itself (TwelveMonkeys delegating to the JDK's libjpeg) on baseline streams the JDK encodes.
 */
class JpegDctDecoderTest {

    static byte[] jdkJpeg(BufferedImage img, float quality) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(out);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    static BufferedImage gray(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 255 / w + (y / 5 % 2) * 60 + r.nextInt(30)) & 0xFF; // edges and noise: ringing, clamping
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    @Test
    void islowIdctMatchesLibjpegBitForBit() throws Exception {
        for (float q : new float[] {0.3f, 0.75f, 1.0f}) {
            int w = 83;
            int h = 45; // not multiples of 8: partial edge blocks
            byte[] jpeg = jdkJpeg(gray(w, h, (long) (q * 100)), q);
            ImageDescriptor d = new ImageDescriptor(h, w, 1, 8, 8, 7, false, "MONOCHROME2", 0, 1);
            int[] libjpeg = new JpegBaselineDecoder().decode(jpeg, d).samples();
            int[] ours = new JpegExtended12BitDecoder().decode(jpeg, d).samples();
            assertThat(ours).as("quality " + q).isEqualTo(libjpeg);
            assertThat(new JpegLossyDecoder().decode(jpeg, d).samples()).isEqualTo(libjpeg);
        }
    }
}
