package org.cxr.convert.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.ConversionResult.Failed;
import org.cxr.convert.domain.encode.ImageEncoder;
import org.cxr.convert.domain.metadata.MetadataSource;
import org.cxr.convert.domain.pixels.DecodedFrame;
import org.cxr.convert.domain.pixels.FrameDecoder;
import org.cxr.convert.domain.pixels.FrameDecoders;
import org.cxr.convert.domain.pixels.ImageDescriptor;
import org.cxr.convert.domain.pixels.NativeFrameDecoder;
import org.cxr.convert.domain.pixels.PixelDecodeException;
import org.cxr.convert.domain.pixels.SampleBuffers;
import org.cxr.convert.domain.recipe.EightBitImage;
import org.cxr.convert.domain.recipe.MimicCxrRecipe;
import org.cxr.dicom.Dataset;
import org.cxr.dicom.DicomException;
import org.cxr.dicom.DicomFile;
import org.cxr.dicom.DicomReader;
import org.cxr.dicom.ElementDictionary;
import org.cxr.dicom.PixelData;
import org.cxr.dicom.Tag;
import org.cxr.dicom.TransferSyntax;

/**
 * Converts one DICOM instance with the MIMIC-CXR-JPG recipe: header and metadata, checks, pixel
 * decoding, {@link MimicCxrRecipe}, JPEG encoding. Never throws for bad input: every problem is
 * a {@link Failed} with a {@link ConversionFailure}. Checks run in this order, before any pixel
 * allocation: readable header; Pixel Data present; NumberOfFrames (> 1: MULTI_FRAME); Image Pixel
 * attributes present and numeric; grayscale; Rows x Columns within the limit; a decoder for the
 * transfer syntax; pixel data complete. Thread-safe; decoded pixel memory is capped by a
 * {@link MemoryBudget} shared by all threads.
 */
public final class Converter {
    /**
     * The converter version carried on converted events and on the objects it writes (a change
     * makes the service convert every instance again); names the encoder whose bytes the JPGs are.
     */
    public static final String VERSION = "cxr-convert/1.0 (recipe mimic-cxr-jpg-2.0.0; opencv 4.13.0)";
    /** Files up to this size are read whole; larger ones header first, pixel data on demand. */
    private static final long WHOLE_FILE_LIMIT = 256L << 20;
    /** JPEG quality of the recipe (cv2.imwrite's default). */
    public static final int JPEG_QUALITY = 95;

    /**
     * @param maxPixels largest Rows x Columns converted (larger: TOO_LARGE)
     * @param jpeg      encode the JPG
     * @param png       encode the pre-encode 8-bit image as PNG
     * @param keepImage keep the pre-encode 8-bit image in the result
     */
    public record Options(long maxPixels, boolean jpeg, boolean png, boolean keepImage) {
        /** 8192 x 8192 at most; JPG only. */
        public static final Options DEFAULT = new Options(8192L * 8192L, true, false, false);

        public Options withPng(boolean p) {
            return new Options(maxPixels, jpeg, p, keepImage);
        }

        public Options withJpeg(boolean j) {
            return new Options(maxPixels, j, png, keepImage);
        }

        public Options withKeepImage(boolean k) {
            return new Options(maxPixels, jpeg, png, k);
        }
    }

    private final FrameDecoders decoders;
    private final ImageEncoder encoder;
    private final MemoryBudget budget;
    private final Options options;

    public Converter(FrameDecoders decoders, ImageEncoder encoder, MemoryBudget budget, Options options) {
        this.decoders = decoders;
        this.encoder = encoder;
        this.budget = budget;
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * Converts a file; the pixel data is read from it only after the header checks pass.
     * {@code ids} null: {@link InstanceIds#fromHeader} (the path when the header is unreadable).
     */
    public ConversionResult convert(Path file, InstanceIds ids) {
        return finish(decode(file, ids));
    }

    /** Converts a file held in memory ({@code ids} as for {@link #convert(Path, InstanceIds)}). */
    public ConversionResult convert(byte[] dicom, InstanceIds ids) {
        return finish(decode(dicom, ids));
    }

    /**
     * The first half of {@link #convert(Path, InstanceIds)}: read, checks and pixel decoding. The
     * result must be passed to {@link #finish} (on any thread): it holds the decoded pixels' memory
     * lease until then. A caller may decode the next file while another thread finishes this one.
     */
    public Decoded decode(Path file, InstanceIds ids) {
        return decode(read(file, ids));
    }

    /**
     * The file's bytes read and its header parsed, or why not: the first step of {@link #decode(Path,
     * InstanceIds)}, which a caller may run ahead on another thread ({@link #decode(Read)} then does
     * the rest). Holds the file's bytes, outside the {@link MemoryBudget}.
     */
    public Read read(Path file, InstanceIds ids) {
        long t0 = System.nanoTime();
        try {
            // a converted file needs all its bytes: one read (as the service gets them from S3);
            // very large files are parsed by their header and their pixel data read on demand
            long size = Files.size(file);
            DicomFile dicom = size <= WHOLE_FILE_LIMIT ? DicomReader.read(Files.readAllBytes(file)) : DicomReader.read(file);
            return new Read(dicom, null, ids, file.toString(), System.nanoTime() - t0);
        } catch (IOException e) {
            return new Read(null, rejected(ids != null ? ids : InstanceIds.fromHeader(null, file.toString()),
                    ConversionFailure.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), t0), ids, "", 0);
        } catch (DicomException e) {
            return new Read(null, rejected(ids != null ? ids : InstanceIds.fromHeader(null, file.toString()),
                    ConversionFailure.of(e.reason()), e.getMessage(), t0), ids, "", 0);
        }
    }

    /**
     * A file {@link #read}: its parsed header, or the failure ({@link #decode(Read)} returns it), waiting
     * for {@link #decode(Read)}.
     */
    public record Read(DicomFile dicom, Decoded failure, InstanceIds ids, String fallbackKey, long readNanos) {
        /** The file could not be read or parsed. */
        public boolean failed() {
            return failure != null;
        }
    }

    /** The rest of {@link #decode(Path, InstanceIds)} after its {@link #read}; its timings leave out any wait between. */
    public Decoded decode(Read read) {
        return decode(read, SampleBuffers.NONE);
    }

    /**
     * {@link #decode(Read)} with the samples in an array from {@code buffers}, which {@link #finish} zeroes
     * and gives back once the recipe has read them: the decoding thread then neither allocates nor zeroes it.
     */
    public Decoded decode(Read read, SampleBuffers buffers) {
        // t0 as if the read had just happened: the read's own time, without the wait since
        return read.failed() ? read.failure()
                : decode(read.dicom(), read.ids(), read.fallbackKey(), System.nanoTime() - read.readNanos(), buffers);
    }

    /** {@link #decode(Path, InstanceIds)} of a file held in memory. */
    public Decoded decode(byte[] dicom, InstanceIds ids) {
        long t0 = System.nanoTime();
        try {
            return decode(DicomReader.read(dicom), ids, "", t0, SampleBuffers.NONE);
        } catch (DicomException e) {
            return rejected(ids != null ? ids : InstanceIds.fromHeader(null, ""), ConversionFailure.of(e.reason()),
                    e.getMessage(), t0);
        }
    }

    /**
     * A file read and decoded, waiting for the recipe and the encoding ({@link #finish}), or a
     * conversion that already failed. Handed from one thread to another, it is safely published
     * by the hand-off (a blocking queue).
     */
    public static final class Decoded {
        private final Failed failed;
        private final DicomFile file;
        private final ImageDescriptor descriptor;
        private final InstanceIds ids;
        private final MemoryBudget.Lease lease;
        private final SampleBuffers buffers;
        private final long readNanos;
        private final long decodeNanos;
        private DecodedFrame frame;

        private Decoded(Failed failed) {
            this(failed, null, null, null, null, null, null, 0, 0);
        }

        private Decoded(Failed failed, DicomFile file, ImageDescriptor descriptor, InstanceIds ids,
                        MemoryBudget.Lease lease, DecodedFrame frame, SampleBuffers buffers, long readNanos,
                        long decodeNanos) {
            this.failed = failed;
            this.file = file;
            this.descriptor = descriptor;
            this.ids = ids;
            this.lease = lease;
            this.frame = frame;
            this.buffers = buffers;
            this.readNanos = readNanos;
            this.decodeNanos = decodeNanos;
        }

        /** The conversion already failed ({@link #finish} returns the failure). */
        public boolean failed() {
            return failed != null;
        }
    }

    private Decoded decode(DicomFile file, InstanceIds givenIds, String fallbackKey, long t0, SampleBuffers buffers) {
        long tRead = System.nanoTime();
        Dataset ds = file.dataset();
        InstanceIds ids = givenIds != null ? givenIds : InstanceIds.fromHeader(ds, fallbackKey);
        PixelData px = file.pixelData();
        if (px == null) {
            String more = ds.contains(Tag.FloatPixelData) || ds.contains(Tag.DoubleFloatPixelData)
                    ? " (float pixel data is not converted)" : "";
            return rejected(ids, ConversionFailure.NO_PIXEL_DATA, "no Pixel Data (7FE0,0010)" + more, t0);
        }
        int frames = 1;
        if (ds.contains(Tag.NumberOfFrames)) {
            OptionalInt nf = ds.getInt(Tag.NumberOfFrames);
            if (nf.isEmpty()) {
                return rejected(ids, ConversionFailure.MALFORMED, "NumberOfFrames '" + ds.getString(Tag.NumberOfFrames)
                        + "' is not an integer", t0);
            }
            frames = Math.max(1, nf.getAsInt());
        }
        if (frames > 1) {
            return rejected(ids, ConversionFailure.MULTI_FRAME, frames + " frames: multi-frame images are not converted",
                    t0);
        }
        String missing = missingImageAttributes(ds);
        if (missing != null) {
            return rejected(ids, ConversionFailure.MALFORMED, "Image Pixel attributes missing or not numbers: " + missing,
                    t0);
        }
        String photometric = ds.getString(Tag.PhotometricInterpretation, "");
        ImageDescriptor d = new ImageDescriptor(
                ds.getInt(Tag.Rows, 0, 0), ds.getInt(Tag.Columns, 0, 0), ds.getInt(Tag.SamplesPerPixel, 0, 0),
                ds.getInt(Tag.BitsAllocated, 0, 0), ds.getInt(Tag.BitsStored, 0, 0),
                ds.getInt(Tag.HighBit, 0, ds.getInt(Tag.BitsStored, 0, 0) - 1),
                ds.getInt(Tag.PixelRepresentation, 0, 0) == 1, photometric,
                ds.getInt(Tag.PlanarConfiguration, 0, 0), frames);
        if (d.rows() <= 0 || d.columns() <= 0) {
            return rejected(ids, ConversionFailure.MALFORMED, "image size " + d.rows() + "x" + d.columns(), t0);
        }
        if (d.samplesPerPixel() != 1 || !(photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2"))) {
            return rejected(ids, ConversionFailure.UNSUPPORTED_IMAGE, "photometric interpretation '" + photometric
                    + "' with " + d.samplesPerPixel() + " sample(s) per pixel: only grayscale (MONOCHROME1/2)"
                    + " images are converted", t0);
        }
        if (d.bitsStored() < 1 || d.bitsStored() > d.bitsAllocated() || d.bitsAllocated() > 32) {
            return rejected(ids, ConversionFailure.MALFORMED, "BitsStored " + d.bitsStored() + " with BitsAllocated "
                    + d.bitsAllocated(), t0);
        }
        long pixels = (long) d.rows() * d.columns();
        if (pixels > options.maxPixels()) {
            return rejected(ids, ConversionFailure.TOO_LARGE, d.rows() + "x" + d.columns() + " pixels is over the limit of "
                    + options.maxPixels(), t0);
        }
        TransferSyntax ts = file.transferSyntax();
        Optional<FrameDecoder> decoder = decoders.forTransferSyntax(ts.uid());
        if (decoder.isEmpty()) {
            return rejected(ids, ConversionFailure.UNSUPPORTED_TRANSFER_SYNTAX, "no decoder for " + ts, t0);
        }
        if (px.isEncapsulated() != ts.encapsulated()) {
            return rejected(ids, ConversionFailure.MALFORMED, (px.isEncapsulated() ? "encapsulated" : "native")
                    + " pixel data in " + ts, t0);
        }
        long frameBytes;
        if (!px.isEncapsulated()) {
            frameBytes = NativeFrameDecoder.frameBytes(d);
            if (frameBytes < 0) {
                return rejected(ids, ConversionFailure.UNSUPPORTED_IMAGE, "BitsAllocated " + d.bitsAllocated()
                        + " (native pixel data must be 8, 16 or 32 bits)", t0);
            }
            if (px.availableLength() < frameBytes) {
                return rejected(ids, ConversionFailure.TRUNCATED, "pixel data has " + px.availableLength() + " bytes, "
                        + d.rows() + "x" + d.columns() + "x" + d.bitsAllocated() + " bits needs " + frameBytes, t0);
            }
        } else {
            if (!px.isComplete()) {
                return rejected(ids, ConversionFailure.TRUNCATED, "encapsulated pixel data ends before its sequence delimiter",
                        t0);
            }
            if (px.fragments().isEmpty()) {
                return rejected(ids, ConversionFailure.NO_PIXEL_DATA, "encapsulated pixel data has no fragments", t0);
            }
            frameBytes = px.availableLength();
        }
        // int samples + frame bytes + 8-bit images; codecs get the same again for their work buffers
        long estimate = pixels * (4 + 3) + frameBytes + (px.isEncapsulated() ? pixels * 4 : 0);
        MemoryBudget.Lease lease;
        try {
            lease = budget.acquire(estimate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return rejected(ids, ConversionFailure.IO_ERROR, "interrupted while waiting for memory", t0);
        }
        Decoded decoded;
        try {
            decoded = decodeFrame(file, px, d, decoder.get(), frameBytes, ids, t0, tRead, lease, buffers);
        } catch (RuntimeException e) { // a bug must not take the caller down
            decoded = rejected(ids, ConversionFailure.DECODE_ERROR, "conversion failed: " + e, t0);
        }
        if (decoded.failed != null) {
            lease.close();
        }
        return decoded;
    }

    private Decoded decodeFrame(DicomFile file, PixelData px, ImageDescriptor d, FrameDecoder decoder,
                                long frameBytes, InstanceIds ids, long t0, long tRead, MemoryBudget.Lease lease,
                                SampleBuffers buffers) {
        DecodedFrame frame;
        try {
            byte[] bytes = px.isEncapsulated() ? px.readFrame(0, 1) : px.readNativeFrame(0, (int) frameBytes);
            frame = decoder.decodeUnmasked(bytes, d, buffers); // the recipe reads the low BitsStored bits
        } catch (IOException e) {
            return rejected(ids, ConversionFailure.IO_ERROR, "cannot read pixel data: " + e.getMessage(), t0);
        } catch (PixelDecodeException e) {
            return rejected(ids, ConversionFailure.DECODE_ERROR, e.getMessage(), t0);
        } catch (RuntimeException e) {
            return rejected(ids, ConversionFailure.DECODE_ERROR, "decoder failed: " + e, t0);
        }
        if (frame.rows() != d.rows() || frame.columns() != d.columns() || frame.samplesPerPixel() != 1) {
            return rejected(ids, ConversionFailure.DECODE_ERROR, "decoded " + frame.rows() + "x" + frame.columns() + "x"
                    + frame.samplesPerPixel() + ", header says " + d.rows() + "x" + d.columns() + "x1", t0);
        }
        return new Decoded(null, file, d, ids, lease, frame, buffers, tRead - t0, System.nanoTime() - tRead);
    }

    /**
     * The second half of a conversion: the recipe and the encoding of a {@link #decode}d file
     * (its failure, if it failed); releases its memory lease. The timings are the two halves' own
     * time, without any wait between them.
     */
    public ConversionResult finish(Decoded decoded) {
        if (decoded.failed != null) {
            return decoded.failed;
        }
        long t0 = System.nanoTime();
        long before = decoded.readNanos + decoded.decodeNanos;
        ImageDescriptor d = decoded.descriptor;
        try (MemoryBudget.Lease lease = decoded.lease) {
            MimicCxrRecipe.Rescaled rescaled = MimicCxrRecipe.apply(d.rows(), d.columns(), decoded.frame.samples(),
                    d.bitsStored(), d.signed(), "MONOCHROME1".equals(d.photometricInterpretation()));
            decoded.buffers.recycle(decoded.frame.samples()); // the recipe's image holds no reference to them
            decoded.frame = null; // let the samples go before encoding
            EightBitImage image = rescaled.image();
            long tRecipe = System.nanoTime();
            byte[] jpg = options.jpeg() ? encoder.jpeg(image, JPEG_QUALITY) : null;
            byte[] png = options.png() ? encoder.png(image) : null;
            long tEnd = System.nanoTime();
            DicomFile file = decoded.file;
            return new Converted(decoded.ids, jpg, png, options.keepImage() ? image : null, d.rows(), d.columns(),
                    MetadataSource.read(file.dataset(), d.rows(), d.columns()),
                    rescaled.constant(), file.transferSyntax().uid(),
                    new Timings(decoded.readNanos, decoded.decodeNanos, tRecipe - t0, tEnd - tRecipe, before + tEnd - t0));
        } catch (RuntimeException e) { // a bug or a native encoder error must not take the caller down
            decoded.frame = null;
            return failed(decoded.ids, ConversionFailure.DECODE_ERROR, "conversion failed: " + e, t0 - before);
        }
    }

    /** Names of required Image Pixel attributes that are absent or not numbers (as pydicom requires them), or null. */
    private static String missingImageAttributes(Dataset ds) {
        StringBuilder sb = new StringBuilder();
        for (int tag : new int[]{Tag.Rows, Tag.Columns, Tag.BitsAllocated, Tag.BitsStored, Tag.SamplesPerPixel,
                Tag.PixelRepresentation}) {
            if (ds.getInt(tag).isEmpty()) {
                sb.append(sb.length() > 0 ? ", " : "").append(ElementDictionary.keywordOf(tag));
            }
        }
        if (ds.getString(Tag.PhotometricInterpretation) == null) {
            sb.append(sb.length() > 0 ? ", " : "").append("PhotometricInterpretation");
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static Decoded rejected(InstanceIds ids, ConversionFailure reason, String message, long t0) {
        return new Decoded(failed(ids, reason, message, t0));
    }

    private static Failed failed(InstanceIds ids, ConversionFailure reason, String message, long t0) {
        long total = System.nanoTime() - t0;
        return new Failed(ids, reason, message, new Timings(0, 0, 0, 0, total));
    }
}
