package org.cxr.catalog.domain.query;

/** The two labelers of the published dataset, named as in the file names. */
public enum Labeler {
    CHEXPERT("chexpert"), NEGBIO("negbio");

    private final String value;

    Labeler(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Labeler of(String s) {
        for (Labeler l : values()) {
            if (l.value.equalsIgnoreCase(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("labeler must be chexpert or negbio"); // input not repeated: it may be anything
    }
}
