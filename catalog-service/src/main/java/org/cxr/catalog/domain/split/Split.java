package org.cxr.catalog.domain.split;

/** The three splits of the published {@code mimic-cxr-2.0.0-split.csv.gz}, spelled as there. */
public enum Split {
    TRAIN("train"), VALIDATE("validate"), TEST("test");

    private final String value;

    Split(String value) {
        this.value = value;
    }

    /** The CSV value: {@code train}, {@code validate} or {@code test}. */
    public String value() {
        return value;
    }

    public static Split of(String value) {
        for (Split s : values()) {
            if (s.value.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("split must be train, validate or test"); // input not repeated
    }
}
