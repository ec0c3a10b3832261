package org.cxr.convert.domain.codec;

import java.awt.image.Raster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * 8-bit DCT JPEG: Baseline (1.2.840.10008.1.2.4.50) and Extended with 8-bit precision (.51),
 * through TwelveMonkeys imageio-jpeg (which delegates DCT decoding to the JDK's libjpeg 6b).
 * The raster is read without colour conversion, for grayscale and colour alike: for colour
 * this gives the decoded components (YCbCr upsampled by libjpeg), which is exactly what
 * pydicom 2.3 + GDCM return whatever PhotometricInterpretation says (checked on GH195 with RGB,
 * YBR_FULL and YBR_FULL_422). A "premature end of data segment" warning (truncated data) is
 * reported as a PixelDecodeException. The reader is created per call: thread-safe.
 */
public final class JpegBaselineDecoder extends GuardedDecoder {
    static final String CODEC = "JPEG Baseline";

    /** Found on the first 8-bit JPEG, not at start-up: the ImageIO registry scans the classpath. */
    private static final class Provider {
        /** The registered TwelveMonkeys provider (registration wires its JDK delegate for DCT decoding). */
        static final ImageReaderSpi SPI = twelveMonkeysSpi();

        private static ImageReaderSpi twelveMonkeysSpi() {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            JPEGImageReaderSpi spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
            if (spi == null) {
                registry.registerServiceProvider(new JPEGImageReaderSpi(), ImageReaderSpi.class);
                spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
            }
            return spi;
        }
    }

    public JpegBaselineDecoder() {
        super(CODEC);
    }

    @Override
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        FrameHeader header = FrameHeader.of(frame);
        if (header == null) {
            throw new PixelDecodeException(CODEC + ": no frame header (SOF) found in the codestream");
        }
        if (header.precision() != 8) {
            throw new PixelDecodeException(CODEC + ": sample precision " + header.precision() + ", expected 8");
        }
        if (header.marker() != 0xC0 && header.marker() != 0xC1) {
            throw new PixelDecodeException(CODEC + ": SOF marker 0xFF" + JpegMarkers.hex(header.marker())
                    + " is not baseline/extended sequential DCT");
        }
        CodecSupport.checkGeometry(CODEC, d, header.rows(), header.columns(), header.components());
        if (d.bitsAllocated() < 8) {
            throw new PixelDecodeException(CODEC + ": BitsAllocated " + d.bitsAllocated() + " is below 8");
        }
        ImageReader reader;
        try {
            reader = Provider.SPI.createReaderInstance();
        } catch (IOException e) {
            throw new PixelDecodeException(CODEC + ": cannot create the JPEG reader", e);
        }
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        try (ImageInputStream in = new ByteArrayImageInputStream(frame)) {
            reader.setInput(in, true, true);
            // readRaster: the decoded components as libjpeg outputs them without colour conversion
            Raster raster = reader.readRaster(0, null);
            int[] out = raster.getPixels(0, 0, d.columns(), d.rows(), buffers.take(total));
            for (String w : warnings) {
                if (w.contains("premature end of data segment")) {
                    throw new PixelDecodeException(CODEC + ": codestream truncated (" + w + ")");
                }
            }
            return new Samples(out, 8);
        } catch (IOException e) {
            throw new PixelDecodeException(CODEC + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }
}
