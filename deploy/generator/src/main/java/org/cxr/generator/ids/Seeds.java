package org.cxr.generator.ids;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from the generator seed. Every entity (subject, study,
 * instance) gets its own stream from (seed, purpose, indices), so its content does not depend on
 * how many entities came before it, on thread scheduling, or on which options shrink the images.
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser: a strong 64-bit mixing function. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long derive(long seed, String purpose, long... indices) {
        long h = mix(seed ^ 0x9e3779b97f4a7c15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h + b);
        }
        for (long i : indices) {
            h = mix(h + 0x9e3779b97f4a7c15L + i);
        }
        return h;
    }

    public static SplittableRandom random(long seed, String purpose, long... indices) {
        return new SplittableRandom(derive(seed, purpose, indices));
    }
}
