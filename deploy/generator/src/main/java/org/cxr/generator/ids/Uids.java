package org.cxr.generator.ids;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * DICOM UIDs under the 2.25 root (PS3.5 B.2: a 128-bit number written in decimal), derived from a
 * hash of (seed, kind, indices) so that the same seed gives the same UIDs and different seeds
 * practically never collide.
 */
public final class Uids {
    private Uids() {
    }

    public static String of(long seed, String kind, long... indices) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer b = ByteBuffer.allocate(8 * (indices.length + 1)).putLong(seed);
            for (long i : indices) {
                b.putLong(i);
            }
            sha.update(b.array());
            byte[] uuid = Arrays.copyOf(sha.digest(), 16);
            // RFC 4122 version 4 / variant bits, as UUID-derived 2.25 UIDs carry them.
            uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x40);
            uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
            return "2.25." + new BigInteger(1, uuid);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
