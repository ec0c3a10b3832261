package org.cxr.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.cxr.dicom.DicomException.Reason;

/**
 * Reads DICOM Part 10 files (and raw datasets without preamble or file meta).
 * <ul>
 * <li>{@link #read(Path)} parses everything before the top-level Pixel Data and stops there: the
 * pixel data is located (offset, length; for encapsulated data the offset table and fragment
 * positions) and read later from the file, on demand.</li>
 * <li>{@link #read(byte[])} parses the whole array; values are slices of it, not copies.</li>
 * </ul>
 * Structure: preamble/DICM detection, file meta group (explicit VR LE), transfer syntax (from the
 * meta, else guessed from the first element), then the dataset by {@link Parser}.
 */
public final class DicomReader {
    /** First bytes read from a file; a longer header is read by doubling (chest X-ray headers are a few KB). */
    private static final int FIRST_READ = 64 * 1024;

    private DicomReader() {
    }

    /** Reads the header of a file; pixel data stays on disk. */
    public static DicomFile read(Path file) throws DicomException {
        return read(file, ReadLimits.DEFAULT);
    }

    public static DicomFile read(Path file, ReadLimits limits) throws DicomException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteSource source = ByteSource.of(file);
            long want = Math.min(size, FIRST_READ);
            while (true) {
                byte[] prefix = ByteSource.FileSource.readFully(ch, 0, (int) want);
                try {
                    return parse(prefix, prefix.length, size, source, limits, true);
                } catch (NeedMore more) {
                    long next = Math.min(size, Math.max(more.needed, want * 2));
                    if (next > limits.maxHeaderBytes()) {
                        throw new DicomException(Reason.TOO_LARGE, "the header (everything before the pixel data) is over "
                                + limits.maxHeaderBytes() + " bytes");
                    }
                    if (next <= want) {
                        throw new IllegalStateException("reader asked for " + more.needed + " of " + size + " bytes");
                    }
                    want = next;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DicomException(Reason.IO_ERROR, "no such file: " + file, -1, e);
        } catch (IOException e) {
            throw new DicomException(Reason.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), -1, e);
        }
    }

    /** Reads a whole file held in memory. */
    public static DicomFile read(byte[] data) throws DicomException {
        return read(data, ReadLimits.DEFAULT);
    }

    public static DicomFile read(byte[] data, ReadLimits limits) throws DicomException {
        return parse(data, data.length, data.length, ByteSource.of(data), limits, false);
    }

    /** Reads a stream to its end (bounded by {@code limits.maxHeaderBytes()} is not applied: the caller bounds the stream). */
    public static DicomFile read(InputStream in) throws DicomException {
        try {
            return read(in.readAllBytes());
        } catch (IOException e) {
            throw new DicomException(Reason.IO_ERROR, "cannot read stream: " + e.getMessage(), -1, e);
        }
    }

    /** Thrown inside the parser when a file's prefix is too short; the caller re-reads more. */
    static final class NeedMore extends RuntimeException {
        final long needed;

        NeedMore(long needed) {
            super(null, null, false, false);
            this.needed = needed;
        }
    }

    private static DicomFile parse(byte[] b, int end, long total, ByteSource source, ReadLimits limits,
                                   boolean stopAtPixelData) throws DicomException {
        List<String> warnings = new ArrayList<>();
        if (total < 8) {
            throw new DicomException(Reason.NOT_DICOM, "only " + total + " bytes");
        }
        int pos = 0;
        byte[] preamble = null;
        if (total >= 132 && end >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            preamble = java.util.Arrays.copyOf(b, 128);
            pos = 132;
        }
        Dataset meta = new Dataset();
        Parser metaParser = new Parser(b, end, total, source, limits, false, warnings);
        metaParser.pos = pos;
        boolean metaPresent = pos + 8 <= total && metaParser.peekGroupLE() == 0x0002;
        if (metaPresent) {
            metaParser.explicit = true;
            metaParser.parseMeta(meta);
            pos = (int) metaParser.pos;
        } else if (preamble == null) {
            checkPlausibleRawStart(b, end, total);
        }

        TransferSyntax declared = null;
        String tsUid = meta.getString(Tag.TransferSyntaxUID);
        if (tsUid != null && !tsUid.isEmpty()) {
            declared = TransferSyntax.forUid(tsUid);
        } else if (metaPresent) {
            warnings.add("file meta has no Transfer Syntax UID: guessed from the dataset");
        }
        TransferSyntax ts = declared;
        boolean guessed = false;
        if (declared != null && declared.deflated()) {
            if (end < total) {
                throw new NeedMore(total);
            }
            byte[] inflated = inflate(b, pos, (int) (total - pos), limits);
            Parser p = new Parser(inflated, inflated.length, inflated.length, ByteSource.of(inflated), limits,
                    false, warnings);
            p.explicit = true;
            Dataset ds = p.parseTop();
            return new DicomFile(preamble, meta, ds, declared, false, List.copyOf(warnings));
        }
        if (pos + 8 <= end || pos + 8 <= total) {
            if (pos + 8 > end) {
                throw new NeedMore(pos + 8);
            }
            TransferSyntax looks = guess(b, pos);
            if (ts == null) {
                ts = looks;
                guessed = true;
            } else if (looks.explicitVr() != ts.explicitVr()) {
                warnings.add("transfer syntax " + ts.uid() + " says " + (ts.explicitVr() ? "explicit" : "implicit")
                        + " VR but the data is not: read as " + (looks.explicitVr() ? "explicit" : "implicit") + " VR");
                ts = new TransferSyntax(ts.uid(), ts.name(), looks.explicitVr(), ts.bigEndian(), false,
                        ts.encapsulated(), ts.lossy(), ts.known());
                guessed = true;
            }
        } else if (ts == null) {
            ts = TransferSyntax.ImplicitVRLittleEndian;
            guessed = true;
        }
        Parser p = new Parser(b, end, total, source, limits, stopAtPixelData, warnings);
        p.pos = pos;
        p.explicit = ts.explicitVr();
        p.bigEndian = ts.bigEndian();
        Dataset ds = p.parseTop();
        return new DicomFile(preamble, meta, ds, ts, guessed, List.copyOf(warnings));
    }

    /** A file without DICM prefix must start like a dataset: a low even group and a sane first element. */
    private static void checkPlausibleRawStart(byte[] b, int end, long total) throws DicomException {
        if (end < 8) {
            throw new DicomException(Reason.NOT_DICOM, "too short for a DICOM dataset");
        }
        int gLE = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        int gBE = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
        int g = Math.min(gLE, gBE);
        boolean explicit = VR.of(b[4], b[5]) != null;
        boolean le = gLE <= gBE;
        long len;
        if (explicit) {
            len = le ? (b[6] & 0xFF) | (b[7] & 0xFF) << 8 : (b[6] & 0xFF) << 8 | (b[7] & 0xFF);
        } else {
            len = ((b[4] & 0xFFL) | (b[5] & 0xFFL) << 8 | (b[6] & 0xFFL) << 16 | (b[7] & 0xFFL) << 24);
        }
        boolean groupOk = (g & 1) == 0 && g <= 0x0028;
        boolean lengthOk = len == 0xFFFFFFFFL || len <= total - 8;
        if (!groupOk || !lengthOk) {
            throw new DicomException(Reason.NOT_DICOM, String.format(
                    "no DICM prefix, and the data does not start like a dataset (first tag (%04X,%04X), length %d)",
                    le ? gLE : gBE, le ? (b[2] & 0xFF) | (b[3] & 0xFF) << 8 : (b[2] & 0xFF) << 8 | (b[3] & 0xFF), len));
        }
    }

    /** Which encoding the element at {@code p} looks like: explicit if a VR is spelled, big endian if the group reads smaller so. */
    static TransferSyntax guess(byte[] b, int p) {
        int gLE = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
        int gBE = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
        boolean explicit = VR.of(b[p + 4], b[p + 5]) != null;
        if (explicit) {
            return gBE < gLE ? TransferSyntax.ExplicitVRBigEndian : TransferSyntax.ExplicitVRLittleEndian;
        }
        return TransferSyntax.ImplicitVRLittleEndian;
    }

    private static byte[] inflate(byte[] b, int off, int len, ReadLimits limits) throws DicomException {
        for (boolean nowrap : new boolean[]{true, false}) {
            Inflater inf = new Inflater(nowrap);
            try {
                inf.setInput(b, off, len);
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, len * 4));
                byte[] buf = new byte[65536];
                int idle = 0;
                while (!inf.finished()) {
                    int n = inf.inflate(buf);
                    if (n == 0 && (inf.needsInput() || inf.needsDictionary() || ++idle > 3)) {
                        break; // truncated deflate stream: keep what we have
                    }
                    out.write(buf, 0, n);
                    if (out.size() > limits.maxInflatedBytes()) {
                        throw new DicomException(Reason.TOO_LARGE, "deflated dataset inflates to more than "
                                + limits.maxInflatedBytes() + " bytes");
                    }
                }
                return out.toByteArray();
            } catch (DataFormatException e) {
                if (!nowrap) {
                    throw new DicomException(Reason.MALFORMED, "deflated dataset is not a valid deflate stream: "
                            + e.getMessage(), off, e);
                }
            } finally {
                inf.end();
            }
        }
        throw new AssertionError();
    }
}
