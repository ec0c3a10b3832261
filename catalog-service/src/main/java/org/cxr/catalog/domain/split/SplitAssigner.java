package org.cxr.catalog.domain.split;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.cxr.events.Ids;

/**
 * The split of a new subject as a pure function of its subject_id, a seed and the fractions
 * (dataset contract §6): {@code u = SHA-256(seed + ":" + subject_id)} read as a uniform number in
 * [0,1) from its first 53 bits; {@code u < train} is train, {@code u < train + validate} is
 * validate, the rest test. The catalog stores the result the first time it sees the subject and
 * never calls this again for it, so a later change of seed or fractions only affects new subjects.
 */
public final class SplitAssigner implements SplitRule {
    private final String seed;
    private final SplitFractions fractions;

    public SplitAssigner(String seed, SplitFractions fractions) {
        if (seed == null || seed.isBlank()) {
            throw new IllegalArgumentException("split seed must not be blank");
        }
        this.seed = seed;
        this.fractions = fractions;
    }

    @Override
    public Split assign(String subjectId) {
        double u = uniform(subjectId);
        if (u < fractions.train()) {
            return Split.TRAIN;
        }
        if (u < fractions.train() + fractions.validate()) {
            return Split.VALIDATE;
        }
        return Split.TEST;
    }

    /** The subject's deterministic position in [0,1). */
    public double uniform(String subjectId) {
        Ids.requireSubjectId(subjectId);
        byte[] h = sha256((seed + ":" + subjectId).getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (h[i] & 0xff);
        }
        return (bits >>> 11) * 0x1.0p-53;
    }

    @Override
    public String rule() {
        return "sha256(seed+':'+subject_id); seed=" + seed + "; " + fractions;
    }

    public String seed() {
        return seed;
    }

    public SplitFractions fractions() {
        return fractions;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
