package org.cxr.label.domain.rules;

import java.util.List;

/**
 * One phrase of mentions.txt. target is the Observation ordinal, {@link #OTHER} for the other
 * abnormal findings that block No Finding in the CheXpert style, or {@link #ALTERNATIVE} for what
 * a finding is weighed against ("nodule versus nipple shadow"), which is never labelled.
 */
public record MentionRule(int target, MentionKind kind, List<String> tokens, String source) {
    public static final int OTHER = 14;
    public static final int ALTERNATIVE = 15;
    /** targets are below this */
    public static final int TARGETS = 16;
}
