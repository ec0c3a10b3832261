package org.cxr.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes datasets as DICOM Part 10: 128-byte preamble, "DICM", the file meta group (explicit VR
 * LE, with a correct group length), then the dataset in the requested transfer syntax: implicit VR
 * LE, explicit VR LE/BE, deflated explicit VR LE, or an encapsulated syntax (pixel data written as
 * Basic Offset Table + fragments, bytes untouched). Pixel data is never transcoded: native pixel
 * data needs a native syntax and encapsulated pixel data an encapsulated one.
 * <p>Sequences and items are written with undefined length; group length elements (gggg,0000)
 * other than the file meta's are dropped (they are retired and would be wrong after edits).
 * Odd-length values are padded (space for strings, NUL otherwise).
 */
public final class DicomWriter {
    private DicomWriter() {
    }

    /** Writes {@code dataset} in {@code transferSyntaxUid}, with file meta built from the dataset. */
    public static void write(OutputStream out, Dataset dataset, String transferSyntaxUid) throws IOException {
        write(out, null, dataset, transferSyntaxUid);
    }

    /**
     * Writes a Part 10 file. {@code fileMeta} (may be null) supplies extra meta elements (e.g. Source
     * Application Entity Title); the group length, version, transfer syntax, implementation UID/version
     * are always set here, and the media storage SOP class/instance UIDs default to the dataset's.
     */
    public static void write(OutputStream out, Dataset fileMeta, Dataset dataset, String transferSyntaxUid)
            throws IOException {
        TransferSyntax ts = TransferSyntax.forUid(transferSyntaxUid);
        PixelData px = dataset.pixelData();
        if (px != null && px.isEncapsulated() != ts.encapsulated()) {
            throw new IllegalArgumentException((px.isEncapsulated() ? "encapsulated" : "native")
                    + " pixel data cannot be written in " + ts + " (no transcoding)");
        }
        OutputStream bout = out instanceof BufferedOutputStream || out instanceof ByteArrayOutputStream
                ? out : new BufferedOutputStream(out, 65536);
        bout.write(new byte[128]);
        bout.write(new byte[]{'D', 'I', 'C', 'M'});
        bout.write(fileMetaBytes(fileMeta, dataset, ts.uid()));
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                DeflaterOutputStream dout = new DeflaterOutputStream(new NonClosing(bout), deflater, 65536);
                new Encoder(dout, true, false).dataset(dataset, true);
                dout.finish();
            } finally {
                deflater.end();
            }
        } else {
            new Encoder(bout, ts.explicitVr(), ts.bigEndian()).dataset(dataset, true);
        }
        bout.flush();
    }

    /** The file as bytes. */
    public static byte[] toBytes(Dataset dataset, String transferSyntaxUid) {
        return toBytes(null, dataset, transferSyntaxUid);
    }

    public static byte[] toBytes(Dataset fileMeta, Dataset dataset, String transferSyntaxUid) {
        // sized for the pixel data up front: growing a buffer to a radiograph's size copies it twice over
        PixelData px = dataset.pixelData();
        long expected = 64 * 1024 + (px == null ? 0 : Math.max(0, px.availableLength()));
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(expected, Integer.MAX_VALUE - 64));
        try {
            write(out, fileMeta, dataset, transferSyntaxUid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes to a file atomically (temporary file in the same folder, then rename). */
    public static void write(Path file, Dataset fileMeta, Dataset dataset, String transferSyntaxUid) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".tmp-", ".dcm");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                write(out, fileMeta, dataset, transferSyntaxUid);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes only the preamble, "DICM" and the file meta group of a Part 10 file, for a dataset
     * that is already encoded in {@code transferSyntaxUid} and is appended by the caller as is (a
     * DIMSE C-STORE data set arrives that way; deflated data sets stay deflated). {@code fileMeta}
     * must hold Media Storage SOP Class/Instance UID; version, transfer syntax and implementation
     * UID/version are set here as in {@link #write(OutputStream, Dataset, Dataset, String)}.
     */
    public static void writeFileHeader(OutputStream out, Dataset fileMeta, String transferSyntaxUid) throws IOException {
        if (fileMeta.getString(Tag.MediaStorageSOPClassUID) == null || fileMeta.getString(Tag.MediaStorageSOPInstanceUID) == null) {
            throw new IllegalArgumentException("the file meta needs Media Storage SOP Class and Instance UID");
        }
        out.write(new byte[128]);
        out.write(new byte[]{'D', 'I', 'C', 'M'});
        out.write(fileMetaBytes(fileMeta, new Dataset(), transferSyntaxUid));
    }

    /** Group 0002 with its group length, in explicit VR little endian. */
    static byte[] fileMetaBytes(Dataset given, Dataset dataset, String tsUid) throws IOException {
        Dataset meta = new Dataset();
        if (given != null) {
            for (DicomElement e : given.elements()) {
                if (e.tag() >>> 16 == 0x0002 && e.tag() != Tag.FileMetaInformationGroupLength) {
                    meta.put(e);
                }
            }
        }
        meta.putBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[]{0, 1});
        if (!meta.contains(Tag.MediaStorageSOPClassUID) && dataset.getString(Tag.SOPClassUID) != null) {
            meta.putString(Tag.MediaStorageSOPClassUID, VR.UI, dataset.getString(Tag.SOPClassUID));
        }
        if (!meta.contains(Tag.MediaStorageSOPInstanceUID) && dataset.getString(Tag.SOPInstanceUID) != null) {
            meta.putString(Tag.MediaStorageSOPInstanceUID, VR.UI, dataset.getString(Tag.SOPInstanceUID));
        }
        meta.putString(Tag.TransferSyntaxUID, VR.UI, tsUid);
        meta.putString(Tag.ImplementationClassUID, VR.UI, UID.IMPLEMENTATION_CLASS_UID);
        meta.putString(Tag.ImplementationVersionName, VR.SH, UID.IMPLEMENTATION_VERSION_NAME);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        new Encoder(body, true, false).dataset(meta, false);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Encoder enc = new Encoder(all, true, false);
        enc.header(Tag.FileMetaInformationGroupLength, VR.UL, 4);
        enc.u32(body.size());
        body.writeTo(all);
        return all.toByteArray();
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Element encoding in one syntax. */
    private static final class Encoder {
        private final OutputStream out;
        private final boolean explicit;
        private final boolean bigEndian;

        Encoder(OutputStream out, boolean explicit, boolean bigEndian) {
            this.out = out;
            this.explicit = explicit;
            this.bigEndian = bigEndian;
        }

        void u16(int v) throws IOException {
            if (bigEndian) {
                out.write(v >>> 8);
                out.write(v);
            } else {
                out.write(v);
                out.write(v >>> 8);
            }
        }

        void u32(long v) throws IOException {
            if (bigEndian) {
                u16((int) (v >>> 16));
                u16((int) v);
            } else {
                u16((int) v);
                u16((int) (v >>> 16));
            }
        }

        void tag(int tag) throws IOException {
            u16(tag >>> 16);
            u16(tag & 0xFFFF);
        }

        /** Item and delimiter headers: always tag + 32-bit length, no VR. */
        void itemHeader(int tag, long len) throws IOException {
            tag(tag);
            u32(len);
        }

        void header(int tag, VR vr, long len) throws IOException {
            tag(tag);
            if (!explicit) {
                u32(len);
                return;
            }
            if (!vr.hasLongHeader() && len > 0xFFFF) {
                vr = VR.UN; // a short-header VR cannot hold this length
            }
            out.write(vr.name().charAt(0));
            out.write(vr.name().charAt(1));
            if (vr.hasLongHeader()) {
                u16(0);
                u32(len);
            } else {
                u16((int) len);
            }
        }

        void dataset(Dataset ds, boolean skipGroupLengths) throws IOException {
            for (DicomElement e : ds.elements()) {
                if (skipGroupLengths && (e.tag() & 0xFFFF) == 0 || e.tag() >>> 16 == 0x0002 && skipGroupLengths) {
                    continue;
                }
                element(ds, e);
            }
        }

        void element(Dataset ds, DicomElement e) throws IOException {
            if (e.isSequence()) {
                header(e.tag(), VR.SQ, 0xFFFFFFFFL);
                for (Dataset item : e.items()) {
                    itemHeader(Tag.Item, 0xFFFFFFFFL);
                    dataset(item, true);
                    itemHeader(Tag.ItemDelimitationItem, 0);
                }
                itemHeader(Tag.SequenceDelimitationItem, 0);
            } else if (e.isPixelData()) {
                pixelData(e);
            } else if (e.text() != null) {
                byte[] v = ds.encodedValue(e);
                boolean pad = (v.length & 1) == 1;
                header(e.tag(), e.vr(), v.length + (pad ? 1 : 0));
                out.write(v);
                if (pad) {
                    out.write(e.vr().padding());
                }
            } else {
                VR vr = e.vr();
                int len = e.length();
                boolean pad = (len & 1) == 1;
                header(e.tag(), vr, len + (pad ? 1 : 0));
                writeValue(e.array(), e.offset(), len, vr, e.isBigEndian());
                if (pad) {
                    out.write(vr.padding());
                }
            }
        }

        private void writeValue(byte[] b, int off, int len, VR vr, boolean sourceBigEndian) throws IOException {
            int w = vr.bytesPerValue();
            if (w > 1 && sourceBigEndian != bigEndian) {
                byte[] swapped = new byte[len];
                System.arraycopy(b, off, swapped, 0, len);
                swap(swapped, w);
                out.write(swapped);
            } else {
                out.write(b, off, len);
            }
        }

        private void pixelData(DicomElement e) throws IOException {
            PixelData px = e.pixelData();
            if (!px.isEncapsulated()) {
                long len = px.availableLength();
                boolean pad = (len & 1) == 1;
                header(e.tag(), e.vr(), len + (pad ? 1 : 0));
                int w = e.vr() == VR.OW ? 2 : e.vr().bytesPerValue();
                if (w > 1 && px.isBigEndian() != bigEndian) {
                    byte[] v = px.readNative();
                    swap(v, w);
                    out.write(v);
                } else {
                    px.source().transferTo(px.valueOffset(), len, out);
                }
                if (pad) {
                    out.write(0);
                }
                return;
            }
            header(e.tag(), e.vr() == VR.OW ? VR.OW : VR.OB, 0xFFFFFFFFL);
            List<PixelData.Fragment> fragments = px.fragments();
            long[] newItemOffsets = new long[fragments.size()];
            long off = 0;
            for (int i = 0; i < fragments.size(); i++) {
                newItemOffsets[i] = off;
                int len = fragments.get(i).length();
                off += 8 + len + (len & 1);
            }
            long[] bot = px.basicOffsetTable();
            long[] newBot = new long[bot.length];
            for (int i = 0; i < bot.length; i++) {
                newBot[i] = bot[i];
                for (int j = 0; j < fragments.size(); j++) {
                    if (fragments.get(j).itemOffset() == bot[i]) {
                        newBot[i] = newItemOffsets[j];
                        break;
                    }
                }
            }
            itemHeader(Tag.Item, 4L * newBot.length);
            for (long v : newBot) {
                u32(v);
            }
            for (PixelData.Fragment f : fragments) {
                int len = f.length();
                itemHeader(Tag.Item, len + (len & 1));
                px.source().transferTo(f.valueOffset(), len, out);
                if ((len & 1) == 1) {
                    out.write(0);
                }
            }
            itemHeader(Tag.SequenceDelimitationItem, 0);
        }

        private static void swap(byte[] v, int w) {
            for (int i = 0; i + w <= v.length; i += w) {
                for (int a = i, z = i + w - 1; a < z; a++, z--) {
                    byte t = v[a];
                    v[a] = v[z];
                    v[z] = t;
                }
            }
        }
    }
}
