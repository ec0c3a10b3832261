package org.cxr.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-made element encodings for inputs the writer would never produce. */
final class RawBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean bigEndian;

    RawBytes(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    static RawBytes le() {
        return new RawBytes(false);
    }

    RawBytes u16(int v) {
        if (bigEndian) {
            out.write(v >>> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >>> 8);
        }
        return this;
    }

    RawBytes u32(long v) {
        return bigEndian ? u16((int) (v >>> 16)).u16((int) v) : u16((int) v).u16((int) (v >>> 16));
    }

    RawBytes tag(int tag) {
        return u16(tag >>> 16).u16(tag & 0xFFFF);
    }

    RawBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    RawBytes ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Implicit VR: tag, 32-bit length, value. */
    RawBytes implicit(int tag, String value) {
        return tag(tag).u32(value.length()).ascii(value);
    }

    RawBytes implicit(int tag, byte[] value) {
        return tag(tag).u32(value.length).bytes(value);
    }

    /** Explicit VR with the header form of the VR. */
    RawBytes explicit(int tag, VR vr, byte[] value) {
        tag(tag).ascii(vr.name());
        return vr.hasLongHeader() ? u16(0).u32(value.length).bytes(value) : u16(value.length).bytes(value);
    }

    RawBytes explicit(int tag, VR vr, String value) {
        return explicit(tag, vr, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawBytes us(int tag, int v) {
        RawBytes t = new RawBytes(bigEndian).u16(v);
        return explicit(tag, VR.US, t.toByteArray());
    }

    /** An item or delimiter header. */
    RawBytes item(int tag, long len) {
        return tag(tag).u32(len);
    }

    /** 128 zero bytes, DICM, and a minimal file meta group with this transfer syntax (null: none). */
    static RawBytes part10(String tsUid) {
        RawBytes meta = le();
        meta.explicit(Tag.FileMetaInformationVersion, VR.OB, new byte[]{0, 1});
        meta.explicit(Tag.MediaStorageSOPClassUID, VR.UI, UID.SECONDARY_CAPTURE_IMAGE_STORAGE + "\0");
        if (tsUid != null) {
            String v = (tsUid.length() & 1) == 1 ? tsUid + "\0" : tsUid;
            meta.explicit(Tag.TransferSyntaxUID, VR.UI, v);
        }
        byte[] m = meta.toByteArray();
        RawBytes f = le().bytes(new byte[128]).ascii("DICM");
        f.explicit(Tag.FileMetaInformationGroupLength, VR.UL, le().u32(m.length).toByteArray());
        return f.bytes(m);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
