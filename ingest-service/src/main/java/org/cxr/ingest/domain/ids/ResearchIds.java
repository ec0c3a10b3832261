package org.cxr.ingest.domain.ids;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Draws research ids in the dataset's formats (contract §2). Random, never derived from an
 * identifier: the only link to the patient is the mapping row in ingest's database. Callers
 * collision-check by inserting under a unique constraint and drawing again on conflict.
 */
public final class ResearchIds {
    private final RandomGenerator random;

    public ResearchIds() {
        this(new SecureRandom());
    }

    public ResearchIds(RandomGenerator random) {
        this.random = random;
    }

    /** 8 digits, 10000000–19999999. */
    public String subjectId() {
        return Integer.toString(10_000_000 + random.nextInt(10_000_000));
    }

    /** 8 digits, 50000000–59999999. */
    public String studyId() {
        return Integer.toString(50_000_000 + random.nextInt(10_000_000));
    }

    /** 40 lowercase hex digits in five dash-separated groups of 8 (the shape of a SHA-1 digest). */
    public String dicomId() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        String hex = HexFormat.of().formatHex(b);
        StringBuilder sb = new StringBuilder(44);
        for (int i = 0; i < 5; i++) {
            if (i > 0) {
                sb.append('-');
            }
            sb.append(hex, i * 8, i * 8 + 8);
        }
        return sb.toString();
    }

    /**
     * Days to add to every date of a subject: 100–170 years, so study dates of 2000–2029 land in
     * 2100–2200 like MIMIC, while intervals between one subject's dates stay exact.
     */
    public int dateOffsetDays() {
        int min = (int) (100 * 365.2425);
        int max = (int) (170 * 365.2425);
        return min + random.nextInt(max - min);
    }
}
