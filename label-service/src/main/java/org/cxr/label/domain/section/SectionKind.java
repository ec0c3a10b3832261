package org.cxr.label.domain.section;

/** Which part of the report was labelled (dataset-contract §4). */
public enum SectionKind {
    IMPRESSION("impression"),
    FINDINGS("findings"),
    LAST_PARAGRAPH("last_paragraph"),
    COMPARISON("comparison"),
    /** the given text as is (--no-sections) */
    TEXT("text"),
    /** nothing usable: the study gets no label row */
    NONE("none");

    private final String label;

    SectionKind(String label) {
        this.label = label;
    }

    /** The name written to sections.csv and events. */
    public String label() {
        return label;
    }
}
