package org.cxr.generator.ids;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.cxr.events.Ids;

/**
 * The research ids of a generated MIMIC-CXR tree, deterministic from the seed. subject_id and
 * study_id are a keyed permutation of the entity index over the 10^7 ids of their range, so they are
 * unique, unordered (their order says nothing about time, as in MIMIC) and need no memory of the
 * ids already handed out; dicom_id has the shape of a SHA-1 digest, like MIMIC's.
 */
public final class ResearchIds {
    public static final int RANGE = 10_000_000;
    private static final int HALF_BITS = 12;
    private static final int HALF_MASK = (1 << HALF_BITS) - 1;

    private final long subjectKey;
    private final long studyKey;
    private final long seed;

    public ResearchIds(long seed) {
        this.seed = seed;
        this.subjectKey = Seeds.derive(seed, "subject-id");
        this.studyKey = Seeds.derive(seed, "study-id");
    }

    public String subjectId(long subjectIndex) {
        return Ids.requireSubjectId(Long.toString(10_000_000L + permute(subjectIndex, subjectKey)));
    }

    public String studyId(long studyIndex) {
        return Ids.requireStudyId(Long.toString(50_000_000L + permute(studyIndex, studyKey)));
    }

    public String dicomId(long studyIndex, int instanceIndex) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update("dicom-id".getBytes(StandardCharsets.US_ASCII));
            sha1.update(ByteBuffer.allocate(20).putLong(seed).putLong(studyIndex).putInt(instanceIndex).array());
            String hex = HexFormat.of().formatHex(sha1.digest());
            StringBuilder sb = new StringBuilder(44);
            for (int i = 0; i < 40; i += 8) {
                if (i > 0) {
                    sb.append('-');
                }
                sb.append(hex, i, i + 8);
            }
            return Ids.requireDicomId(sb.toString());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bijection on [0, 10^7): a 4-round Feistel network on 24 bits, cycle-walked into range. */
    public static int permute(long index, long key) {
        if (index < 0 || index >= RANGE) {
            throw new IllegalArgumentException("at most " + RANGE + " ids per kind, index " + index);
        }
        int x = (int) index;
        do {
            x = feistel(x, key);
        } while (x >= RANGE);
        return x;
    }

    private static int feistel(int x, long key) {
        int left = x >>> HALF_BITS;
        int right = x & HALF_MASK;
        for (int round = 0; round < 4; round++) {
            int f = (int) Seeds.mix(key + round * 0x9e3779b97f4a7c15L + right) & HALF_MASK;
            int next = left ^ f;
            left = right;
            right = next;
        }
        return (left << HALF_BITS) | right;
    }
}
