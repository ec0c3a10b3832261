package org.cxr.catalog.domain.split;

import java.util.Locale;

/** Target shares of new subjects per split; each in [0,1], summing to 1. */
public record SplitFractions(double train, double validate, double test) {
    /** About the MIMIC-CXR-JPG proportions: 98.5 % train, 0.8 % validate, 0.7 % test. */
    public static final SplitFractions MIMIC_LIKE = new SplitFractions(0.985, 0.008, 0.007);

    public SplitFractions {
        for (double f : new double[] {train, validate, test}) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("split fractions must be within [0,1]: " + describe(train, validate, test));
            }
        }
        if (Math.abs(train + validate + test - 1.0) > 1e-9) {
            throw new IllegalArgumentException("split fractions must sum to 1: " + describe(train, validate, test));
        }
    }

    @Override
    public String toString() {
        return describe(train, validate, test);
    }

    private static String describe(double train, double validate, double test) {
        return String.format(Locale.ROOT, "train=%s,validate=%s,test=%s", train, validate, test);
    }
}
