package org.cxr.convert.domain.pixels;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cxr.convert.domain.codec.CompressedCodecs;
import org.cxr.convert.domain.codec.Jpeg2000Library;
import org.cxr.dicom.TransferSyntax;

/**
 * Which {@link FrameDecoder} decodes which transfer syntax: a map from transfer syntax UID to
 * decoder, populated here in one place. A syntax that is not in the map is not decoded (the
 * converter fails with UNSUPPORTED_TRANSFER_SYNTAX). Immutable and thread-safe.
 */
public final class FrameDecoders {
    private final Map<String, FrameDecoder> byUid;

    public FrameDecoders(Map<String, FrameDecoder> byUid) {
        this.byUid = Map.copyOf(byUid);
    }

    /** The native syntaxes plus every compressed syntax of the codec package, JPEG 2000 by {@code j2k}. */
    public static FrameDecoders standard(Jpeg2000Library j2k) {
        Map<String, FrameDecoder> m = new HashMap<>();
        registerNative(m);
        m.putAll(CompressedCodecs.decoders(j2k));
        return new FrameDecoders(m);
    }

    /** Uncompressed syntaxes (deflated data is inflated by the reader, so it decodes as native LE). */
    private static void registerNative(Map<String, FrameDecoder> m) {
        FrameDecoder le = new NativeFrameDecoder(false);
        m.put(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, le);
        m.put(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, le);
        m.put(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, le);
        m.put(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, new NativeFrameDecoder(true));
    }

    public Optional<FrameDecoder> forTransferSyntax(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    public Set<String> supportedTransferSyntaxes() {
        return Collections.unmodifiableSet(byUid.keySet());
    }
}
