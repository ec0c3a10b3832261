package org.cxr.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a Pixel Data element, read on demand from its {@link ByteSource}.
 * <p>Native: {@link #valueOffset()} and {@link #availableLength()}; {@link #isComplete()} is false
 * when the data ends before the declared length. Encapsulated: the Basic Offset Table and the
 * position of each fragment; {@link #isComplete()} is false when the data ends before the
 * sequence delimiter or inside a fragment.
 */
public final class PixelData {
    /** One fragment's value: {@code itemOffset} is the item tag's offset relative to the first item after the offset table. */
    public record Fragment(long valueOffset, int length, long itemOffset) {
    }

    private final ByteSource source;
    private final VR vr;
    private final boolean bigEndian;
    private final boolean encapsulated;
    private final long valueOffset;
    private final long declaredLength;
    private final long availableLength;
    private final long[] basicOffsetTable;
    private final List<Fragment> fragments;
    private final boolean complete;

    private PixelData(ByteSource source, VR vr, boolean bigEndian, boolean encapsulated, long valueOffset,
                      long declaredLength, long availableLength, long[] bot, List<Fragment> fragments,
                      boolean complete) {
        this.source = source;
        this.vr = vr;
        this.bigEndian = bigEndian;
        this.encapsulated = encapsulated;
        this.valueOffset = valueOffset;
        this.declaredLength = declaredLength;
        this.availableLength = availableLength;
        this.basicOffsetTable = bot;
        this.fragments = List.copyOf(fragments);
        this.complete = complete;
    }

    /** Native pixel data of {@code declaredLength} bytes at {@code valueOffset}, of which {@code available} exist. */
    public static PixelData ofNative(ByteSource source, VR vr, boolean bigEndian, long valueOffset,
                                     long declaredLength, long available) {
        return new PixelData(source, vr, bigEndian, false, valueOffset, declaredLength,
                Math.min(declaredLength, available), new long[0], List.of(), available >= declaredLength);
    }

    /** Native pixel data held in memory (for writing). */
    public static PixelData ofNative(byte[] value, VR vr) {
        return ofNative(ByteSource.of(value), vr, false, 0, value.length, value.length);
    }

    /** Encapsulated pixel data as scanned by the reader. */
    public static PixelData ofEncapsulated(ByteSource source, VR vr, long[] basicOffsetTable, List<Fragment> fragments,
                                           boolean complete) {
        long first = fragments.isEmpty() ? 0 : fragments.get(0).valueOffset - 8;
        long end = fragments.isEmpty() ? 0 : fragments.get(fragments.size() - 1).valueOffset
                + fragments.get(fragments.size() - 1).length;
        return new PixelData(source, vr, false, true, first, -1, end - first, basicOffsetTable, fragments, complete);
    }

    /** Encapsulated pixel data held in memory: one frame per entry, each written as one fragment, with a Basic Offset Table. */
    public static PixelData ofFrames(List<byte[]> frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Fragment> fragments = new ArrayList<>();
        long[] bot = new long[frames.size()];
        long itemOffset = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            bot[i] = itemOffset;
            fragments.add(new Fragment(all.size(), f.length, itemOffset));
            all.writeBytes(f);
            itemOffset += 8 + f.length + (f.length & 1);
        }
        return new PixelData(ByteSource.of(all.toByteArray()), VR.OB, false, true, 0, -1, all.size(), bot,
                fragments, true);
    }

    public boolean isEncapsulated() {
        return encapsulated;
    }

    public VR vr() {
        return vr;
    }

    /** Native data in big endian byte order (Explicit VR Big Endian). */
    public boolean isBigEndian() {
        return bigEndian;
    }

    public ByteSource source() {
        return source;
    }

    /** Offset of the value in {@link #source()} (encapsulated: of the first fragment item). */
    public long valueOffset() {
        return valueOffset;
    }

    /** Declared value length; -1 (undefined) for encapsulated data. */
    public long declaredLength() {
        return declaredLength;
    }

    /** Bytes of the value present in the source. */
    public long availableLength() {
        return availableLength;
    }

    /** All declared bytes are present (native), or the sequence delimiter was found (encapsulated). */
    public boolean isComplete() {
        return complete;
    }

    /** Basic Offset Table (empty when the table item was empty). */
    public long[] basicOffsetTable() {
        return basicOffsetTable.clone();
    }

    public List<Fragment> fragments() {
        return fragments;
    }

    /** The whole native value (only the available bytes when truncated). */
    public byte[] readNative() throws IOException {
        if (encapsulated) {
            throw new IllegalStateException("pixel data is encapsulated");
        }
        if (availableLength > Integer.MAX_VALUE - 8) {
            throw new IOException("pixel data of " + availableLength + " bytes is too large for one array");
        }
        return source.read(valueOffset, (int) availableLength);
    }

    /** The bytes of native frame {@code index} of {@code frameBytes} bytes each. */
    public byte[] readNativeFrame(int index, int frameBytes) throws IOException {
        long off = (long) index * frameBytes;
        if (off + frameBytes > availableLength) {
            throw new IOException("frame " + index + " ends at byte " + (off + frameBytes)
                    + " but only " + availableLength + " bytes of pixel data are present");
        }
        return source.read(valueOffset + off, frameBytes);
    }

    public byte[] readFragment(int index) throws IOException {
        Fragment f = fragments.get(index);
        return source.read(f.valueOffset, f.length);
    }

    /**
     * The compressed bitstream of frame {@code index} (0-based) of {@code numberOfFrames}: with one
     * frame, all fragments concatenated; else by the Basic Offset Table; else one fragment per frame
     * when the counts agree; else fragments are grouped into frames ending at a JPEG EOI marker.
     */
    public byte[] readFrame(int index, int numberOfFrames) throws IOException {
        if (!encapsulated) {
            throw new IllegalStateException("pixel data is native: use readNativeFrame");
        }
        if (fragments.isEmpty()) {
            throw new IOException("encapsulated pixel data has no fragments");
        }
        if (index < 0 || index >= Math.max(1, numberOfFrames)) {
            throw new IllegalArgumentException("frame " + index + " of " + numberOfFrames);
        }
        List<Fragment> parts;
        if (numberOfFrames <= 1) {
            parts = fragments;
        } else if (basicOffsetTable.length == numberOfFrames) {
            long start = basicOffsetTable[index];
            long end = index + 1 < numberOfFrames ? basicOffsetTable[index + 1] : Long.MAX_VALUE;
            parts = new ArrayList<>();
            for (Fragment f : fragments) {
                if (f.itemOffset >= start && f.itemOffset < end) {
                    parts.add(f);
                }
            }
            if (parts.isEmpty()) {
                throw new IOException("Basic Offset Table entry " + start + " of frame " + index + " matches no fragment");
            }
        } else if (fragments.size() == numberOfFrames) {
            parts = List.of(fragments.get(index));
        } else {
            List<List<Fragment>> frames = framesByEoi();
            if (index >= frames.size()) {
                throw new IOException("only " + frames.size() + " frames found by their JPEG EOI markers, not "
                        + numberOfFrames);
            }
            parts = frames.get(index);
        }
        return concat(parts);
    }

    private List<List<Fragment>> framesByEoi() throws IOException {
        List<List<Fragment>> frames = new ArrayList<>();
        List<Fragment> current = new ArrayList<>();
        for (Fragment f : fragments) {
            current.add(f);
            int tail = Math.min(f.length, 3);
            byte[] end = source.read(f.valueOffset + f.length - tail, tail);
            if (endsWithEoi(end)) {
                frames.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            frames.add(current);
        }
        return frames;
    }

    private static boolean endsWithEoi(byte[] t) {
        int n = t.length;
        if (n >= 2 && (t[n - 2] & 0xFF) == 0xFF && (t[n - 1] & 0xFF) == 0xD9) {
            return true;
        }
        return n >= 3 && t[n - 1] == 0 && (t[n - 3] & 0xFF) == 0xFF && (t[n - 2] & 0xFF) == 0xD9;
    }

    private byte[] concat(List<Fragment> parts) throws IOException {
        if (parts.size() == 1) {
            return source.read(parts.get(0).valueOffset, parts.get(0).length);
        }
        long total = 0;
        for (Fragment f : parts) {
            total += f.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IOException("frame of " + total + " bytes is too large for one array");
        }
        byte[] out = new byte[(int) total];
        int pos = 0;
        for (Fragment f : parts) {
            byte[] b = source.read(f.valueOffset, f.length);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }
        return out;
    }
}
