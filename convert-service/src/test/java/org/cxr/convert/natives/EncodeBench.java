package org.cxr.convert.natives;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.MemoryBudget;
import org.cxr.convert.domain.recipe.EightBitImage;

/**
 * JPEG encode time of a 2500x3000 8-bit image (columns x rows), quality 95: our encoder (bytedeco
 * OpenCV imencode) and the JDK's ImageIO writer. Run by bench/convert-bench.sh, which times
 * Python cv2.imencode on the same image (written here as PNG).
 * Usage: EncodeBench SOURCE.dcm OUT_DIR [RUNS]
 */
public final class EncodeBench {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path outDir = Files.createDirectories(Path.of(args[1]));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        Converter c = NativeConverter.create(MemoryBudget.unlimited(),
                Converter.Options.DEFAULT.withJpeg(false).withKeepImage(true));
        EightBitImage real = ((Converted) c.convert(source, null)).image();
        int rows = 3000;
        int cols = 2500;
        byte[] px = new byte[rows * cols];  // the real radiograph resized (nearest) to 2500x3000
        for (int r = 0; r < rows; r++) {
            int sr = r * real.rows() / rows;
            for (int col = 0; col < cols; col++) {
                px[r * cols + col] = real.pixels()[sr * real.columns() + col * real.columns() / cols];
            }
        }
        EightBitImage img = new EightBitImage(rows, cols, px);
        OpenCvEncoder enc = new OpenCvEncoder();
        Files.write(outDir.resolve("encode-2500x3000.png"), enc.png(img));

        double[] ocv = new double[runs];
        byte[] jpg = null;
        for (int i = -5; i < runs; i++) {
            long t0 = System.nanoTime();
            jpg = enc.jpeg(img, 95);
            if (i >= 0) {
                ocv[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Files.write(outDir.resolve("encode-2500x3000-ours.jpg"), jpg);

        BufferedImage bi = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setDataElements(0, 0, cols, rows, px);
        double[] iio = new double[runs];
        int iioBytes = 0;
        for (int i = -5; i < runs; i++) {
            long t0 = System.nanoTime();
            byte[] b = imageIo(bi, 0.95f);
            if (i >= 0) {
                iio[i] = (System.nanoTime() - t0) / 1e6;
            }
            iioBytes = b.length;
        }
        System.out.printf(Locale.ROOT, "opencv_imencode_ms,%.1f,bytes,%d%n", median(ocv), jpg.length);
        System.out.printf(Locale.ROOT, "imageio_ms,%.1f,bytes,%d%n", median(iio), iioBytes);
        System.exit(0);
    }

    static byte[] imageIo(BufferedImage bi, float quality) throws Exception {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter w = it.next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(bi, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
