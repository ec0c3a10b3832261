package org.cxr.convert.domain.codec;

import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;

/**
 * JPEG 2000 (1.2.840.10008.1.2.4.90 lossless only, .91 lossy) through OpenJPEG ({@link
 * Jpeg2000Library}), as pydicom + GDCM decode it. The codestream is a raw J2K stream, or a JP2 file whose codestream
 * is decoded from its SOC marker on (the JP2 boxes carry nothing DICOM uses). The SIZ marker is
 * checked against the descriptor before decoding. Signedness follows pydicom + GDCM: when the
 * codestream says unsigned but PixelRepresentation is 1 (edge-cases/J2K_pixelrep_mismatch.dcm),
 * the samples are sign-extended from the codestream precision (pydicom's APPLY_J2K_CORRECTIONS);
 * when the codestream is signed and PixelRepresentation is 0, the two's-complement bit pattern is
 * kept and masked to BitsStored. Stateless and thread-safe.
 */
public final class Jpeg2000Decoder extends GuardedDecoder {
    public static final String CODEC = "JPEG 2000";

    private final Jpeg2000Library library;
    private final int threads;

    /** The library uses one thread per available processor for one image, as GDCM does. */
    public Jpeg2000Decoder(Jpeg2000Library library) {
        this(library, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads the library's worker threads for one decode (1: decode on the caller's thread) */
    public Jpeg2000Decoder(Jpeg2000Library library, int threads) {
        super(CODEC);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.library = library;
        this.threads = threads;
    }

    /** What the SIZ marker segment says; {@code start} is the offset of the SOC marker. */
    record Siz(int start, int width, int height, int components, int precision, boolean signed) {
    }

    @Override
    Samples decodeSamples(byte[] frame, ImageDescriptor d, int total, SampleBuffers buffers) throws PixelDecodeException {
        Siz siz = readSiz(frame);
        CodecSupport.checkGeometry(CODEC, d, siz.height(), siz.width(), siz.components());
        if (siz.precision() > 16 || siz.precision() > d.bitsAllocated()) {
            throw new PixelDecodeException(CODEC + ": codestream precision " + siz.precision()
                    + " exceeds BitsAllocated " + d.bitsAllocated());
        }
        int[] out = buffers.take(total);
        library.decode(frame, siz.start(), d.columns(), d.rows(), d.samplesPerPixel(), threads, out);
        int p = siz.precision();
        if (!siz.signed() && d.signed()) {
            int shift = 32 - p; // pydicom: unsigned J2K data with PixelRepresentation 1 is two's complement
            for (int i = 0; i < out.length; i++) {
                out[i] = (out[i] << shift) >> shift;
            }
            return new Samples(out, 32);
        }
        // OpenJPEG clamps unsigned samples to 0..2^precision - 1 (opj_tcd_dc_level_shift_decode)
        return new Samples(out, siz.signed() ? 32 : p);
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
        return new Siz(p - 4, (int) w, (int) h, csiz, (ssiz & 0x7F) + 1, (ssiz & 0x80) != 0);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }
}
