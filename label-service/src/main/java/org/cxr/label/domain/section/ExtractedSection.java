package org.cxr.label.domain.section;

/** The text chosen for labelling and where it came from; text is empty when kind is NONE. */
public record ExtractedSection(SectionKind kind, String text) {
    public static final ExtractedSection NONE = new ExtractedSection(SectionKind.NONE, "");
}
