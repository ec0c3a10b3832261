package org.cxr.label.eval;

/** True/false positives and false negatives of one binary task; NaN where a ratio is undefined. */
public final class Counts {
    private int tp;
    private int fp;
    private int fn;

    public void add(boolean gold, boolean predicted) {
        if (gold && predicted) {
            tp++;
        } else if (predicted) {
            fp++;
        } else if (gold) {
            fn++;
        }
    }

    public int tp() {
        return tp;
    }

    public int fp() {
        return fp;
    }

    public int fn() {
        return fn;
    }

    /** Gold positives. */
    public int support() {
        return tp + fn;
    }

    public double precision() {
        return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
    }

    public double f1() {
        // undefined (as in the MIMIC-CXR validation notebook) when nothing is predicted or nothing is gold
        return tp + fp == 0 || tp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
