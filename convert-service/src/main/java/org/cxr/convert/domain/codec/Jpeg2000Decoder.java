package org.cxr.convert.domain.codec;

import java.awt.image.Raster;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStreamImpl;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;

import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;

/**
 * JPEG 2000 (1.2.840.10008.1.2.4.90 lossless only, .91 lossy) through jai-imageio-jpeg2000
 * 1.4.0 (a raw J2K codestream, or a JP2 file whose codestream box is located). The SIZ marker is
 * checked against the descriptor before decoding. Signedness follows pydicom + GDCM: when the
 * codestream says unsigned but PixelRepresentation is 1 (edge-cases/J2K_pixelrep_mismatch.dcm),
 * the samples are sign-extended from the codestream precision (pydicom's
 * APPLY_J2K_CORRECTIONS); when the codestream is signed and PixelRepresentation is 0, the
 * two's-complement bit pattern is kept and masked to BitsStored. The reader is created per call,
 * so the decoder is thread-safe.
 */
public final class Jpeg2000Decoder implements FrameDecoder {
    static final String CODEC = "JPEG 2000";
    private static final ImageReaderSpi SPI = new J2KImageReaderSpi();

    private final long baseBudgetMs;

    /** Time budget 30 s + 1 s per megapixel: generous on a loaded machine, yet no endless hang. */
    public Jpeg2000Decoder() {
        this(Duration.ofSeconds(30));
    }

    /** @param baseBudget time budget of one decode, plus 1 s per megapixel */
    public Jpeg2000Decoder(Duration baseBudget) {
        this.baseBudgetMs = baseBudget.toMillis();
    }

    /** What the SIZ marker segment says. */
    record Siz(int width, int height, int components, int precision, boolean signed) {
    }

    @Override
    public DecodedFrame decode(byte[] frame, ImageDescriptor d) throws PixelDecodeException {
        int total = CodecSupport.sampleCount(d, CODEC);
        Siz siz = readSiz(frame);
        CodecSupport.checkGeometry(CODEC, d, siz.height(), siz.width(), siz.components());
        if (siz.precision() > 16 || siz.precision() > d.bitsAllocated()) {
            throw new PixelDecodeException(CODEC + ": codestream precision " + siz.precision()
                    + " exceeds BitsAllocated " + d.bitsAllocated());
        }
        long budgetMs = baseBudgetMs + (long) d.rows() * d.columns() * d.samplesPerPixel() / 1000;
        Raster raster = readWithTimeLimit(frame, budgetMs);
        try {
            if (raster.getWidth() != d.columns() || raster.getHeight() != d.rows()
                    || raster.getNumBands() != d.samplesPerPixel()) {
                throw new PixelDecodeException(CODEC + ": decoder returned " + raster.getWidth() + "x"
                        + raster.getHeight() + "x" + raster.getNumBands() + ", expected " + d.columns() + "x"
                        + d.rows() + "x" + d.samplesPerPixel());
            }
            int[] out = raster.getPixels(raster.getMinX(), raster.getMinY(), d.columns(), d.rows(), new int[total]);
            int p = siz.precision();
            if (!siz.signed() && d.signed() && p < 32) {
                int shift = 32 - p; // pydicom: unsigned J2K data with PixelRepresentation 1 is two's complement
                for (int i = 0; i < out.length; i++) {
                    out[i] = (out[i] << shift) >> shift;
                }
            }
            return CodecSupport.finish(out, d);
        } catch (RuntimeException e) {
            throw CodecSupport.corrupt(CODEC, e);
        }
    }

    /**
     * jai-imageio can loop forever on some corrupt codestreams (found by CodecFuzzTest). The
     * decode runs on a daemon worker with a time budget; on expiry the input stream is cancelled, so the worker's next read fails,
     * and the caller gets a PixelDecodeException.
     */
    private static Raster readWithTimeLimit(byte[] frame, long budgetMs) throws PixelDecodeException {
        CancellableInput in = new CancellableInput(frame);
        FutureTask<Raster> task = new FutureTask<>(() -> {
            ImageReader reader = SPI.createReaderInstance();
            try {
                reader.setInput(in, true, true);
                return reader.readRaster(0, null);
            } finally {
                reader.dispose();
            }
        });
        Thread worker = new Thread(task, "jpeg2000-decode");
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(budgetMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            in.cancelled = true;
            worker.interrupt();
            throw new PixelDecodeException(CODEC + ": decoding took longer than " + budgetMs
                    + " ms (corrupt codestream?); abandoned");
        } catch (ExecutionException e) {
            // jai reports some corrupt streams with errors, even ThreadDeath (jj2000's exception handler)
            Throwable cause = e.getCause();
            throw new PixelDecodeException(CODEC + ": corrupt or truncated codestream (" + cause + ")", cause);
        } catch (InterruptedException e) {
            in.cancelled = true;
            Thread.currentThread().interrupt();
            throw new PixelDecodeException(CODEC + ": interrupted", e);
        }
    }

    /** The frame bytes as an ImageInputStream whose reads fail once cancelled. */
    private static final class CancellableInput extends ImageInputStreamImpl {
        private final byte[] data;
        volatile boolean cancelled;

        CancellableInput(byte[] data) {
            this.data = data;
        }

        private void check() throws IOException {
            if (cancelled) {
                throw new IOException("decode cancelled");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            bitOffset = 0;
            return streamPos < data.length ? data[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            bitOffset = 0;
            if (streamPos >= data.length) {
                return len == 0 ? 0 : -1;
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }
    }

    /** Finds SOC+SIZ (directly, or inside a JP2 file) and reads the image geometry. */
    static Siz readSiz(byte[] b) throws PixelDecodeException {
        int p = -1;
        for (int i = 0; i + 3 < b.length && i < 4096; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0x4F && (b[i + 2] & 0xFF) == 0xFF
                    && (b[i + 3] & 0xFF) == 0x51) {
                p = i + 4;
                break;
            }
        }
        if (p < 0) {
            throw new PixelDecodeException(CODEC + ": no SOC/SIZ marker at the start of the codestream");
        }
        if (p + 38 > b.length) {
            throw new PixelDecodeException(CODEC + ": codestream truncated in the SIZ marker segment");
        }
        int lsiz = CodecSupport.u16(b, p);
        long xsiz = u32(b, p + 4);
        long ysiz = u32(b, p + 8);
        long xo = u32(b, p + 12);
        long yo = u32(b, p + 16);
        int csiz = CodecSupport.u16(b, p + 36);
        if (csiz < 1 || csiz > 4 || lsiz < 38 + 3 * csiz || p + 38 + 3 * csiz > b.length) {
            throw new PixelDecodeException(CODEC + ": invalid SIZ marker segment (" + csiz + " components)");
        }
        long w = xsiz - xo;
        long h = ysiz - yo;
        if (w <= 0 || h <= 0 || w > 65535 || h > 65535) {
            throw new PixelDecodeException(CODEC + ": invalid image size " + w + "x" + h + " in SIZ");
        }
        int ssiz = b[p + 38] & 0xFF;
        for (int c = 1; c < csiz; c++) {
            if ((b[p + 38 + 3 * c] & 0xFF) != ssiz) {
                throw new PixelDecodeException(CODEC + ": components of different precision are not supported");
            }
        }
        for (int c = 0; c < csiz; c++) {
            if (b[p + 39 + 3 * c] != 1 || b[p + 40 + 3 * c] != 1) {
                throw new PixelDecodeException(CODEC + ": subsampled components are not supported");
            }
        }
        return new Siz((int) w, (int) h, csiz, (ssiz & 0x7F) + 1, (ssiz & 0x80) != 0);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }
}
