package org.cxr.convert.domain.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cxr.convert.domain.pixels.ImageDescriptor;

/**
 * TEMPORARY, TEST-ONLY: a minimal Explicit VR Little Endian reader that pulls the Image Pixel
 * attributes and the encapsulated Pixel Data fragments out of a DICOM Part 10 file, so the codec
 * tests can run before libs/dicom (org.cxr.dicom) is usable. REMOVE once "libs/dicom API ready"
 * is in and the tests read files through org.cxr.dicom. It handles what the shared test files
 * need (file meta, nested sequences of defined/undefined length, a Pixel Data sequence cut short
 * by the end of the file as in GH1339) and nothing more.
 */
final class TestDicomFragments {
    final String transferSyntax;
    final ImageDescriptor descriptor;
    final List<byte[]> fragments = new ArrayList<>();
    private long[] offsetTable = new long[0];

    private final byte[] b;
    private int rows;
    private int columns;
    private int spp = 1;
    private int bitsAllocated;
    private int bitsStored;
    private int highBit;
    private int pixelRepresentation;
    private String photometric = "";
    private int planar;
    private int frames = 1;
    private String ts;

    private TestDicomFragments(byte[] b) throws IOException {
        this.b = b;
        if (b.length < 132 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') {
            throw new IOException("not a DICOM Part 10 file");
        }
        int end = parse(132, b.length, 0);
        if (end < 0) {
            throw new IOException("no pixel data");
        }
        this.transferSyntax = ts;
        this.descriptor = new ImageDescriptor(rows, columns, spp, bitsAllocated, bitsStored, highBit,
                pixelRepresentation == 1, photometric, planar, frames);
    }

    static TestDicomFragments read(Path file) throws IOException {
        return new TestDicomFragments(Files.readAllBytes(file));
    }

    /** The compressed bitstream of each frame (PS3.5 A.4). */
    List<byte[]> frames() {
        int n = descriptor.numberOfFrames();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            out.add(concat(fragments));
        } else if (fragments.size() == n) {
            out.addAll(fragments);
        } else if (offsetTable.length == n) {
            // group the fragments by the basic offset table
            long offset = 0;
            int frame = -1;
            List<byte[]> current = new ArrayList<>();
            for (byte[] f : fragments) {
                if (frame + 1 < n && offset == offsetTable[frame + 1]) {
                    if (frame >= 0) {
                        out.add(concat(current));
                    }
                    current = new ArrayList<>();
                    frame++;
                }
                current.add(f);
                offset += 8 + f.length;
            }
            out.add(concat(current));
        } else {
            throw new IllegalStateException(fragments.size() + " fragments for " + n + " frames without offsets");
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        parts.forEach(o::writeBytes);
        return o.toByteArray();
    }

    /** Parses elements in [p, end); returns the position after Pixel Data, or -1. depth 0 = top level. */
    private int parse(int p, int end, int depth) throws IOException {
        while (p + 8 <= end) {
            int group = u16(p);
            int element = u16(p + 2);
            if (group == 0xFFFE) {
                // item / delimiters inside sequences
                long len = u32(p + 4);
                if (element == 0xE00D || element == 0xE0DD) {
                    return p + 8;
                }
                if (len == 0xFFFFFFFFL) {
                    p = parse(p + 8, end, depth + 1);
                } else {
                    p += 8 + (int) len;
                }
                continue;
            }
            boolean explicit = group == 0x0002 || ts == null || !ts.equals("1.2.840.10008.1.2");
            if (!explicit) {
                throw new IOException("implicit VR data sets are not handled by this test reader");
            }
            String vr = new String(b, p + 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
            long len;
            int header;
            if (vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT")
                    || vr.equals("OF") || vr.equals("OD") || vr.equals("OL") || vr.equals("UC") || vr.equals("UR")
                    || vr.equals("OV")) {
                len = u32(p + 8);
                header = 12;
            } else {
                len = u16(p + 6);
                header = 8;
            }
            int v = p + header;
            if (depth == 0 && group == 0x7FE0 && element == 0x0010) {
                if (len != 0xFFFFFFFFL) {
                    throw new IOException("native pixel data: not a compressed transfer syntax");
                }
                readFragments(v);
                return v;
            }
            if (len == 0xFFFFFFFFL) {
                p = parse(v, end, depth + 1);
                continue;
            }
            if (v + len > end) {
                return -1;
            }
            if (depth == 0) {
                record(group, element, vr, v, (int) len);
            }
            p = v + (int) len;
        }
        return depth == 0 ? -1 : end;
    }

    private void record(int group, int element, String vr, int v, int len) {
        int tag = group << 16 | element;
        switch (tag) {
            case 0x00020010 -> ts = new String(b, v, len, java.nio.charset.StandardCharsets.US_ASCII).trim()
                    .replace("\0", "");
            case 0x00280010 -> rows = u16(v);
            case 0x00280011 -> columns = u16(v);
            case 0x00280002 -> spp = u16(v);
            case 0x00280100 -> bitsAllocated = u16(v);
            case 0x00280101 -> bitsStored = u16(v);
            case 0x00280102 -> highBit = u16(v);
            case 0x00280103 -> pixelRepresentation = u16(v);
            case 0x00280006 -> planar = u16(v);
            case 0x00280004 -> photometric = new String(b, v, len, java.nio.charset.StandardCharsets.US_ASCII).trim();
            case 0x00280008 -> frames = Integer.parseInt(new String(b, v, len, java.nio.charset.StandardCharsets.US_ASCII)
                    .trim().replace("\0", ""));
            default -> {
            }
        }
    }

    private void readFragments(int p) {
        boolean first = true;
        while (p + 8 <= b.length) {
            int group = u16(p);
            int element = u16(p + 2);
            long len = u32(p + 4);
            if (group != 0xFFFE || element != 0xE000) {
                break; // sequence delimiter or garbage
            }
            int start = p + 8;
            int stop = (int) Math.min(b.length, start + len); // a fragment cut by the end of the file
            byte[] f = java.util.Arrays.copyOfRange(b, start, stop);
            if (first) {
                offsetTable = new long[f.length / 4];
                for (int i = 0; i < offsetTable.length; i++) {
                    offsetTable[i] = (f[4 * i] & 0xFFL) | (f[4 * i + 1] & 0xFFL) << 8 | (f[4 * i + 2] & 0xFFL) << 16
                            | (f[4 * i + 3] & 0xFFL) << 24;
                }
                first = false;
            } else {
                fragments.add(f);
            }
            p = stop;
        }
    }

    private int u16(int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private long u32(int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
